import { TableColumnOptions, TableIndexOptions } from 'typeorm';

/**
 * Column helpers for migrations written with TypeORM's Table API, which runs unchanged on
 * SQLite and MySQL/MariaDB. Every tenant-owned table starts with tenantOwnedColumns().
 */
export function tenantOwnedColumns(): TableColumnOptions[] {
  return [
    { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
    { name: 'tenant_id', type: 'int' },
    { name: 'tenant_path', type: 'varchar', length: '255' },
    { name: 'created_at', type: 'datetime', default: 'CURRENT_TIMESTAMP' },
  ];
}

export function tenantOwnedIndices(table: string): TableIndexOptions[] {
  return [
    { name: `IDX_${table}_tenant_id`, columnNames: ['tenant_id'] },
    { name: `IDX_${table}_tenant_path`, columnNames: ['tenant_path'] },
  ];
}
