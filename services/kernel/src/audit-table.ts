import { QueryRunner, Table } from 'typeorm';
import { tenantOwnedColumns, tenantOwnedIndices } from './migrations';

/**
 * The audit_entries table (audit-entry.ts), for the migration of each service that writes
 * entries. `created_at` keeps milliseconds (entries of several services are merged by it) and
 * `changes` holds a long text's before and after (MEDIUMTEXT on MySQL: a report section is up
 * to 20,000 characters, twice).
 */
export async function createAuditEntriesTable(queryRunner: QueryRunner): Promise<void> {
  const mysql = queryRunner.connection.options.type === 'mysql';
  const columns = tenantOwnedColumns().map((column) =>
    column.name === 'created_at' && mysql ? { ...column, precision: 3, default: 'CURRENT_TIMESTAMP(3)' } : column,
  );
  await queryRunner.createTable(
    new Table({
      name: 'audit_entries',
      columns: [
        ...columns,
        { name: 'actor_id', type: 'int', isNullable: true },
        { name: 'action', type: 'varchar', length: '64' },
        { name: 'entity_type', type: 'varchar', length: '64' },
        { name: 'entity_id', type: 'varchar', length: '254' },
        { name: 'changes', type: mysql ? 'mediumtext' : 'text' },
        { name: 'client_address', type: 'varchar', length: '64', isNullable: true },
      ],
      indices: [
        ...tenantOwnedIndices('audit_entries'),
        { name: 'IDX_audit_entries_entity', columnNames: ['entity_type', 'entity_id'] },
        // the newest-first read walks this index
        { name: 'IDX_audit_entries_at', columnNames: ['created_at', 'id'] },
      ],
    }),
  );
}
