import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Issue 12: roll-up rows count their approximate contributors (approximate_count), activities
 * hold their targets, campaigns record who closed them and when. Existing roll-up rows get
 * their count from the statistics already recorded, once, here; from then on every statistic
 * write keeps it (statistic-service applyChange). Table API and plain SQL: SQLite and MySQL alike.
 */
export class FiguresApproximateTargetsClosing1764600000000 implements MigrationInterface {
  name = 'FiguresApproximateTargetsClosing1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('rollup_totals', new TableColumn({ name: 'approximate_count', type: 'int', default: 0 }));
    await q.addColumn('activities', new TableColumn({ name: 'targets', type: 'text', isNullable: true }));
    await q.addColumn('campaigns', new TableColumn({ name: 'closed_at', type: 'datetime', isNullable: true }));
    await q.addColumn('campaigns', new TableColumn({ name: 'closed_by', type: 'int', isNullable: true }));
    await backfillApproximateCounts(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('campaigns', 'closed_by');
    await q.dropColumn('campaigns', 'closed_at');
    await q.dropColumn('activities', 'targets');
    await q.dropColumn('rollup_totals', 'approximate_count');
  }
}

/**
 * Each approximate statistic counts once in the row of every tenant on its line × directive
 * (0 and each up its chain), as applyChange would have counted it; a row that does not exist
 * yet (the statistics there hold 0) is created at value 0.
 */
async function backfillApproximateCounts(q: QueryRunner) {
  const approximate: { tenant_path: string; indicator: string; directive_path: string }[] = await q.query(
    'SELECT s.tenant_path, s.indicator, c.directive_path FROM statistics s JOIN campaigns c ON c.id = s.campaign_id WHERE s.approximate = ?',
    [true],
  );
  const counts = new Map<string, { path: string; directiveId: number; indicator: string; count: number }>();
  for (const s of approximate) {
    const tenants = s.tenant_path.split('/').filter(Boolean);
    const directives = [0, ...s.directive_path.split('/').filter(Boolean).map(Number)];
    tenants.forEach((_, i) => {
      const path = `/${tenants.slice(0, i + 1).join('/')}/`;
      for (const directiveId of directives) {
        const key = `${path}|${directiveId}|${s.indicator}`;
        const row = counts.get(key) ?? { path, directiveId, indicator: s.indicator, count: 0 };
        row.count += 1;
        counts.set(key, row);
      }
    });
  }
  for (const { path, directiveId, indicator, count } of counts.values()) {
    const tenantId = Number(path.split('/').filter(Boolean).pop());
    const where = [tenantId, directiveId, indicator];
    const [exists] = await q.query('SELECT id FROM rollup_totals WHERE tenant_id = ? AND directive_id = ? AND indicator = ?', where);
    if (exists) await q.query('UPDATE rollup_totals SET approximate_count = ? WHERE tenant_id = ? AND directive_id = ? AND indicator = ?', [count, ...where]);
    else await q.query('INSERT INTO rollup_totals (tenant_id, tenant_path, directive_id, indicator, value, approximate_count) VALUES (?, ?, ?, ?, 0, ?)', [tenantId, path, directiveId, indicator, count]);
  }
}
