import { tenantOwnedColumns, tenantOwnedIndices } from '@cascade/kernel';
import { MigrationInterface, QueryRunner, Table } from 'typeorm';

export class ScreenLinks1732810000000 implements MigrationInterface {
  name = 'ScreenLinks1732810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'screen_links',
        columns: [
          ...tenantOwnedColumns(),
          { name: 'activity_id', type: 'int', isNullable: true },
          { name: 'target_tenant_id', type: 'int', isNullable: true },
          { name: 'campaign_id', type: 'int', isNullable: true },
          { name: 'expires_at', type: 'datetime' },
          { name: 'revoked_at', type: 'datetime', isNullable: true },
          { name: 'created_by', type: 'int' },
        ],
        indices: tenantOwnedIndices('screen_links'),
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('screen_links');
  }
}
