import { tenantOwnedColumns, tenantOwnedIndices } from '@cascade/kernel';
import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** The campaigns schema (Table API: SQLite and MySQL alike). */
export class CampaignsInitial1732790000000 implements MigrationInterface {
  name = 'CampaignsInitial1732790000000';

  async up(q: QueryRunner): Promise<void> {
    const table = (name: string, columns: any[], indices: any[] = []) =>
      q.createTable(new Table({ name, columns: [...tenantOwnedColumns(), ...columns], indices: [...tenantOwnedIndices(name), ...indices] }));
    await table(
      'campaigns',
      [
        { name: 'title', type: 'varchar', length: '200' },
        { name: 'theme', type: 'varchar', length: '200', isNullable: true },
        { name: 'starts_on', type: 'varchar', length: '10' },
        { name: 'ends_on', type: 'varchar', length: '10' },
        { name: 'status', type: 'varchar', length: '16' },
        { name: 'focus_points', type: 'text' },
        { name: 'report_due_on', type: 'varchar', length: '10', isNullable: true },
        { name: 'implements_id', type: 'int', isNullable: true },
        { name: 'directive_path', type: 'varchar', length: '255', default: "'/'" },
      ],
      [
        { name: 'IDX_campaigns_implements_id', columnNames: ['implements_id'] },
        { name: 'IDX_campaigns_directive_path', columnNames: ['directive_path'] },
      ],
    );
    await table(
      'activities',
      [
        { name: 'campaign_id', type: 'int' },
        { name: 'title', type: 'varchar', length: '200' },
        { name: 'kind', type: 'varchar', length: '32' },
        { name: 'starts_at', type: 'datetime' },
        { name: 'ends_at', type: 'datetime', isNullable: true },
        { name: 'location', type: 'varchar', length: '200', isNullable: true },
        { name: 'lead_unit_id', type: 'int', isNullable: true },
        { name: 'supporting_unit_ids', type: 'text' },
      ],
      [{ name: 'IDX_activities_campaign_id', columnNames: ['campaign_id'] }],
    );
    await table(
      'tasks',
      [
        { name: 'campaign_id', type: 'int' },
        { name: 'title', type: 'varchar', length: '500' },
        { name: 'unit_id', type: 'int' },
        { name: 'due_on', type: 'varchar', length: '10', isNullable: true },
        { name: 'done_at', type: 'datetime', isNullable: true },
      ],
      [{ name: 'IDX_tasks_campaign_id', columnNames: ['campaign_id'] }],
    );
    await table(
      'slogans',
      [
        { name: 'campaign_id', type: 'int' },
        { name: 'text', type: 'varchar', length: '500' },
        { name: 'unit_id', type: 'int', isNullable: true },
      ],
      [{ name: 'IDX_slogans_campaign_id', columnNames: ['campaign_id'] }],
    );
    await table(
      'statistics',
      [
        { name: 'activity_id', type: 'int' },
        { name: 'campaign_id', type: 'int' },
        { name: 'indicator', type: 'varchar', length: '32' },
        { name: 'value', type: 'int', default: 0 },
        { name: 'approximate', type: 'boolean', default: false },
      ],
      [
        { name: 'UQ_statistics_activity_indicator', columnNames: ['activity_id', 'indicator'], isUnique: true },
        { name: 'IDX_statistics_campaign_id', columnNames: ['campaign_id'] },
      ],
    );
    await table(
      'statistic_increments',
      [
        { name: 'idempotency_key', type: 'varchar', length: '100' },
        { name: 'statistic_id', type: 'int' },
        { name: 'by', type: 'int' },
        { name: 'result_value', type: 'int' },
      ],
      [{ name: 'UQ_statistic_increments_key', columnNames: ['tenant_id', 'idempotency_key'], isUnique: true }],
    );
    await table(
      'rollup_totals',
      [
        { name: 'directive_id', type: 'int' },
        { name: 'indicator', type: 'varchar', length: '32' },
        { name: 'value', type: 'bigint', default: 0 },
      ],
      [{ name: 'UQ_rollup_totals_key', columnNames: ['tenant_id', 'directive_id', 'indicator'], isUnique: true }],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const name of ['rollup_totals', 'statistic_increments', 'statistics', 'slogans', 'tasks', 'activities', 'campaigns']) {
      await q.dropTable(name);
    }
  }
}
