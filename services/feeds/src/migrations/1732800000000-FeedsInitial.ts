import { tenantOwnedColumns, tenantOwnedIndices } from '@cascade/kernel';
import { MigrationInterface, QueryRunner, Table } from 'typeorm';

export class FeedsInitial1732800000000 implements MigrationInterface {
  name = 'FeedsInitial1732800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'feed_entries',
        columns: [
          ...tenantOwnedColumns(),
          { name: 'activity_id', type: 'int' },
          { name: 'text', type: 'varchar', length: '2000' },
          { name: 'author_id', type: 'int' },
        ],
        indices: [...tenantOwnedIndices('feed_entries'), { name: 'IDX_feed_entries_activity_id', columnNames: ['activity_id'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('feed_entries');
  }
}

