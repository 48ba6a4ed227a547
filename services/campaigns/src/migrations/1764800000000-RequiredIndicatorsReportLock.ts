import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Directives' requirements and the report lock: campaigns hold the indicators every report
 * below must state (JSON text; null on older rows reads as none), and whether their report
 * has been sent up (SUBMITTED or ACCEPTED), which locks their statistics. Table API: SQLite
 * and MySQL alike.
 */
export class RequiredIndicatorsReportLock1764800000000 implements MigrationInterface {
  name = 'RequiredIndicatorsReportLock1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('campaigns', new TableColumn({ name: 'required_indicators', type: 'text', isNullable: true }));
    await q.addColumn('campaigns', new TableColumn({ name: 'report_locked', type: 'boolean', default: false }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('campaigns', 'report_locked');
    await q.dropColumn('campaigns', 'required_indicators');
  }
}
