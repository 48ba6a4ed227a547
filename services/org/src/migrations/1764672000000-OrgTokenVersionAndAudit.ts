import { tenantOwnedColumns, tenantOwnedIndices } from '@cascade/kernel';
import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';

/** A per-user token version (signOut and revocation raise it), removed users, and org's audit trail. */
export class OrgTokenVersionAndAudit1764672000000 implements MigrationInterface {
  name = 'OrgTokenVersionAndAudit1764672000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('users', new TableColumn({ name: 'token_version', type: 'int', default: 0 }));
    await queryRunner.addColumn('users', new TableColumn({ name: 'removed_at', type: 'datetime', isNullable: true }));
    await queryRunner.createTable(
      new Table({
        name: 'audit_entries',
        columns: [
          ...tenantOwnedColumns(),
          { name: 'actor_id', type: 'int', isNullable: true },
          { name: 'action', type: 'varchar', length: '64' },
          { name: 'entity_type', type: 'varchar', length: '64' },
          { name: 'entity_id', type: 'varchar', length: '254' },
          { name: 'changes', type: 'text' },
          { name: 'client_address', type: 'varchar', length: '64', isNullable: true },
        ],
        indices: [...tenantOwnedIndices('audit_entries'), { name: 'IDX_audit_entries_entity', columnNames: ['entity_type', 'entity_id'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_entries');
    await queryRunner.dropColumn('users', 'removed_at');
    await queryRunner.dropColumn('users', 'token_version');
  }
}
