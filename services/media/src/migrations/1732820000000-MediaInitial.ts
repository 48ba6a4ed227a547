import { tenantOwnedColumns, tenantOwnedIndices } from '@cascade/kernel';
import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** The media schema (Table API: SQLite and MySQL alike). */
export class MediaInitial1732820000000 implements MigrationInterface {
  name = 'MediaInitial1732820000000';

  async up(q: QueryRunner): Promise<void> {
    const table = (name: string, columns: any[], indices: any[] = []) =>
      q.createTable(new Table({ name, columns: [...tenantOwnedColumns(), ...columns], indices: [...tenantOwnedIndices(name), ...indices] }));
    await table(
      'assets',
      [
        { name: 'title', type: 'varchar', length: '200' },
        { name: 'kind', type: 'varchar', length: '32' },
        { name: 'status', type: 'varchar', length: '16' },
        { name: 'content_type', type: 'varchar', length: '120' },
        { name: 'byte_size', type: 'int' },
        { name: 'sha256', type: 'varchar', length: '64', isNullable: true },
        { name: 'file_name', type: 'varchar', length: '255' },
        { name: 'tags', type: 'text' },
        { name: 'campaign_id', type: 'int', isNullable: true },
        { name: 'activity_id', type: 'int', isNullable: true },
        { name: 'quantity_produced', type: 'int', default: 0 },
        { name: 'quantity_distributed', type: 'int', default: 0 },
        { name: 'rejection_reason', type: 'varchar', length: '300', isNullable: true },
        { name: 'storage_key', type: 'varchar', length: '255', isNullable: true },
        { name: 'thumbnail_key', type: 'varchar', length: '255', isNullable: true },
        { name: 'created_by', type: 'varchar', length: '64' },
        { name: 'uploaded_at', type: 'datetime', isNullable: true },
      ],
      [
        { name: 'IDX_assets_campaign_id', columnNames: ['campaign_id'] },
        { name: 'IDX_assets_activity_id', columnNames: ['activity_id'] },
      ],
    );
    await table('asset_uploads', [{ name: 'asset_id', type: 'int' }], [
      { name: 'UQ_asset_uploads_asset', columnNames: ['asset_id'], isUnique: true },
    ]);
    await table(
      'asset_distributions',
      [
        { name: 'event_id', type: 'varchar', length: '64' },
        { name: 'asset_id', type: 'int' },
        { name: 'activity_id', type: 'int', isNullable: true },
        { name: 'quantity', type: 'int' },
        { name: 'user_id', type: 'varchar', length: '64' },
        { name: 'published_at', type: 'datetime', isNullable: true },
      ],
      [
        { name: 'UQ_asset_distributions_event', columnNames: ['event_id'], isUnique: true },
        { name: 'IDX_asset_distributions_asset_id', columnNames: ['asset_id'] },
      ],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const name of ['asset_distributions', 'asset_uploads', 'assets']) await q.dropTable(name);
  }
}
