import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** Issue 14: a statistic's version, raised with every change (statistic-service applyChangeIn), orders the events that carry its value. */
export class StatisticVersions1765000000000 implements MigrationInterface {
  name = 'StatisticVersions1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('statistics', new TableColumn({ name: 'version', type: 'int', default: 0 }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('statistics', 'version');
  }
}
