import { tenantOwnedColumns, tenantOwnedIndices } from '@cascade/kernel';
import { MigrationInterface, QueryRunner, Table } from 'typeorm';

export class ReportsInitial1764700000000 implements MigrationInterface {
  name = 'ReportsInitial1764700000000';

  async up(q: QueryRunner): Promise<void> {
    // a generated section of a large tenant (hundreds of activities) passes MySQL's 64 KB TEXT
    const longText = q.connection.options.type === 'mysql' ? 'mediumtext' : 'text';
    await q.createTable(
      new Table({
        name: 'reports',
        columns: [
          ...tenantOwnedColumns(),
          { name: 'campaign_id', type: 'int' },
          { name: 'title', type: 'varchar', length: '300' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'due_on', type: 'varchar', length: '10', isNullable: true },
          { name: 'submitted_at', type: 'datetime', isNullable: true },
          { name: 'submitted_by', type: 'int', isNullable: true },
          { name: 'return_reason', type: 'varchar', length: '2000', isNullable: true },
          { name: 'decided_at', type: 'datetime', isNullable: true },
          { name: 'decided_by', type: 'int', isNullable: true },
          { name: 'office', type: 'varchar', length: '200' },
          { name: 'generated_at', type: 'datetime' },
          { name: 'figures', type: longText },
          { name: 'missing', type: longText },
        ],
        indices: [...tenantOwnedIndices('reports'), { name: 'UQ_reports_campaign_id', columnNames: ['campaign_id'], isUnique: true }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'report_sections',
        columns: [
          ...tenantOwnedColumns(),
          { name: 'report_id', type: 'int' },
          { name: 'section_key', type: 'varchar', length: '40' },
          { name: 'heading', type: 'varchar', length: '100' },
          { name: 'body', type: longText },
          { name: 'edited', type: 'boolean', default: false },
          { name: 'generated', type: 'boolean', default: true },
          { name: 'position', type: 'int' },
        ],
        indices: [...tenantOwnedIndices('report_sections'), { name: 'UQ_report_sections_report_key', columnNames: ['report_id', 'section_key'], isUnique: true }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('report_sections');
    await q.dropTable('reports');
  }
}
