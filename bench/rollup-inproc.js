'use strict';
/**
 * Roll-up read vs recount on a generated tree: 1 national → 30 provinces → 10 cities → 10
 * districts (3,331 tenants), a campaign per tenant implementing its parent's, 28 activities per
 * non-root tenant with 8–15 indicators each (~1.07 M statistics).
 *
 *   npx tsc -b && node bench/rollup-inproc.js [--reads 200] [--recounts 20]
 *
 * The platform runs in this process (startPlatform). The root tenant, its ADMIN and its campaign
 * are made through the API; every other tenant exists only in the campaigns database: its
 * campaigns, activities, statistics and rollup_totals rows are bulk-inserted (through the API
 * this would take hours), the roll-up rows computed from the same generated numbers exactly as
 * statisticService writes them (each ancestor × [0, ...directive chain] × indicator).
 * Then, in the same run: `rollup(tenantId: root)` through the gateway as the root tenant's
 * ADMIN, and the recount `SELECT indicator, SUM(value) ... WHERE tenant_path LIKE '/<root>/%'`.
 */
const { performance } = require('node:perf_hooks');
const mysql = require('mysql2/promise');
const lib = require('./lib');

const DATABASE_URL = process.env.DATABASE_URL || 'mysql://root@127.0.0.1:3306/cascade_bench_tree';
const arg = (name, fallback) => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : fallback);
const READS = Number(arg('reads', 200));
const RECOUNTS = Number(arg('recounts', 20));
const SHAPE = { provinces: 30, cities: 10, districts: 10, activities: 28 };
const INDICATORS = ['PARTICIPANTS', 'SIGNATURES', 'VISITORS', 'DISPLAY_BOARDS', 'BANNERS', 'MATERIALS_DISTRIBUTED',
  'CONSULTATIONS', 'CONSULTATION_POINTS', 'PUBLICITY_VEHICLES', 'ENTERPRISES_TRAINED', 'TRAINEES', 'ENFORCEMENT_OFFICERS',
  'BUSINESSES_INSPECTED', 'CASES_FILED', 'ITEMS_CONFISCATED'];
const LEVELS = ['NATIONAL', 'PROVINCE', 'CITY', 'DISTRICT'];
const ROLLUP = 'query($t: ID!, $c: ID) { rollup(tenantId: $t, campaignId: $c) { tenant { id } totals { indicator value } } }';
const RECOUNT = 'SELECT indicator, SUM(value) AS total FROM statistics WHERE tenant_path LIKE ? GROUP BY indicator';

/** A deterministic value 0–999 for one statistic. */
const valueOf = (activityId, i) => ((activityId * 2654435761 + i * 40503) >>> 0) % 1000;

async function timed(n, fn) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return lib.stats(out);
}

async function insertRows(db, table, columns, rows) {
  for (let i = 0; i < rows.length; i += 5000) {
    await db.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ?`, [rows.slice(i, i + 5000)]);
  }
}

async function main() {
  const machine = await lib.machine(DATABASE_URL);
  const p = await lib.startBenchPlatform(DATABASE_URL);
  const db = await mysql.createConnection({ ...lib.serverOf(DATABASE_URL), database: `${new URL(DATABASE_URL).pathname.slice(1)}_campaigns` });
  try {
    // the root tenant, its ADMIN and its (published) campaign, through the API
    const { tenantId: rootId, admin } = await lib.createTenant(p, { name: '全国', level: 'NATIONAL', parentId: null, key: 'tree-root' });
    const c = await admin.run('mutation { createCampaign(input: { title: "全国保护知识产权宣传周", startsOn: "2024-04-20", endsOn: "2024-04-26" }) { id } }');
    const rootCampaignId = Number(c.createCampaign.id);
    await admin.run('mutation($id: ID!) { publishCampaign(id: $id) { status } }', { id: String(rootCampaignId) });
    const [[{ directive_path: rootDirectivePath }]] = await db.query('SELECT directive_path FROM campaigns WHERE id = ?', [rootCampaignId]);

    // the tree below it, in the campaigns database only (ids far above the org database's)
    const started = performance.now();
    const root = { id: Number(rootId), path: `/${rootId}/`, depth: 0, campaignId: rootCampaignId, directivePath: rootDirectivePath };
    const tenants = [root];
    let nextTenant = 100000;
    let nextCampaign = rootCampaignId + 1;
    const child = (parent) => {
      const id = nextTenant++;
      const campaignId = nextCampaign++;
      const t = { id, path: `${parent.path}${id}/`, depth: parent.depth + 1, campaignId, directivePath: `${parent.directivePath}${campaignId}/` };
      tenants.push(t);
      return t;
    };
    for (let a = 0; a < SHAPE.provinces; a++) {
      const province = child(root);
      for (let b = 0; b < SHAPE.cities; b++) {
        const city = child(province);
        for (let d = 0; d < SHAPE.districts; d++) child(city);
      }
    }
    const generated = tenants.slice(1);
    await insertRows(db, 'campaigns', ['id', 'tenant_id', 'tenant_path', 'title', 'starts_on', 'ends_on', 'status', 'focus_points', 'implements_id', 'directive_path'],
      generated.map((t) => [t.campaignId, t.id, t.path, `${LEVELS[t.depth]} ${t.id} 宣传周`, '2024-04-20', '2024-04-26', 'PUBLISHED', '[]',
        Number(t.directivePath.split('/').filter(Boolean).at(-2)), t.directivePath]));

    // activities and statistics, and the roll-up rows as statisticService would have written them
    const totals = new Map(); // `${tenantId}|${directiveId}|${indicator}` → sum
    const add = (key, v) => totals.set(key, (totals.get(key) ?? 0) + v);
    let activityId = 1000000;
    let statisticCount = 0;
    let activities = [];
    let statistics = [];
    for (const t of generated) {
      const lineage = t.path.split('/').filter(Boolean).map(Number);
      const directives = [0, ...t.directivePath.split('/').filter(Boolean).map(Number)];
      const own = new Map(); // indicator → this tenant's sum (all its statistics are of its one campaign)
      for (let a = 0; a < SHAPE.activities; a++, activityId++) {
        activities.push([activityId, t.id, t.path, t.campaignId, `活动 ${activityId}`, 'OTHER', '2024-04-20 02:00:00', '[]']);
        const count = 8 + (activityId % 8);
        for (let i = 0; i < count; i++) {
          const indicator = INDICATORS[(activityId + i) % INDICATORS.length];
          const value = valueOf(activityId, i);
          statistics.push([t.id, t.path, activityId, t.campaignId, indicator, value, 0]);
          statisticCount++;
          own.set(indicator, (own.get(indicator) ?? 0) + value);
        }
      }
      for (const [indicator, value] of own) for (const tenant of lineage) for (const d of directives) add(`${tenant}|${d}|${indicator}`, value);
      if (statistics.length >= 20000) {
        await insertRows(db, 'activities', ['id', 'tenant_id', 'tenant_path', 'campaign_id', 'title', 'kind', 'starts_at', 'supporting_unit_ids'], activities);
        await insertRows(db, 'statistics', ['tenant_id', 'tenant_path', 'activity_id', 'campaign_id', 'indicator', 'value', 'approximate'], statistics);
        activities = [];
        statistics = [];
      }
    }
    await insertRows(db, 'activities', ['id', 'tenant_id', 'tenant_path', 'campaign_id', 'title', 'kind', 'starts_at', 'supporting_unit_ids'], activities);
    await insertRows(db, 'statistics', ['tenant_id', 'tenant_path', 'activity_id', 'campaign_id', 'indicator', 'value', 'approximate'], statistics);
    const pathOf = new Map(tenants.map((t) => [t.id, t.path]));
    const rollupRows = [...totals].map(([key, v]) => {
      const [tenant, directive, indicator] = key.split('|');
      return [Number(tenant), pathOf.get(Number(tenant)), Number(directive), indicator, v];
    });
    await insertRows(db, 'rollup_totals', ['tenant_id', 'tenant_path', 'directive_id', 'indicator', 'value'], rollupRows);
    await db.query('ANALYZE TABLE statistics, rollup_totals, campaigns');
    const generateSeconds = (performance.now() - started) / 1000;
    const [[sizes]] = await db.query(
      "SELECT ROUND(SUM(data_length + index_length) / 1048576) AS mib FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN ('statistics', 'rollup_totals')",
    );

    // verify: a few roll-up rows against a recount of the statistics they stand for
    const recountFor = async (tenant, directiveId) => {
      const [rows] = directiveId === 0
        ? await db.query(RECOUNT, [`${tenant.path}%`])
        : await db.query('SELECT s.indicator, SUM(s.value) AS total FROM statistics s JOIN campaigns c ON c.id = s.campaign_id WHERE s.tenant_path LIKE ? AND c.directive_path LIKE ? GROUP BY s.indicator', [`${tenant.path}%`, `%/${directiveId}/%`]);
      return Object.fromEntries(rows.map((r) => [r.indicator, Number(r.total)]));
    };
    const stored = async (tenant, directiveId) => {
      const [rows] = await db.query('SELECT indicator, value FROM rollup_totals WHERE tenant_id = ? AND directive_id = ?', [tenant.id, directiveId]);
      return Object.fromEntries(rows.map((r) => [r.indicator, Number(r.value)]));
    };
    const province = tenants[1];
    const city = tenants[2];
    const district = tenants[3];
    const samples = [[root, 0], [root, province.campaignId], [province, 0], [province, rootCampaignId], [city, city.campaignId], [district, 0], [district, district.campaignId]];
    const verified = [];
    for (const [tenant, directiveId] of samples) {
      const [want, got] = [await recountFor(tenant, directiveId), await stored(tenant, directiveId)];
      const same = Object.keys(want).length === Object.keys(got).length && Object.entries(want).every(([k, v]) => got[k] === v);
      if (!same || Object.keys(want).length === 0) {
        throw new Error(`roll-up row mismatch for tenant ${tenant.id} directive ${directiveId}: ${JSON.stringify(got)} vs recount ${JSON.stringify(want)}`);
      }
      verified.push(`${LEVELS[tenant.depth]} ${tenant.id} × directive ${directiveId}`);
    }
    // and through the gateway: the root's roll-up equals the recount
    const viaApi = (await admin.run(ROLLUP, { t: rootId })).rollup.totals;
    const rootRecount = await recountFor(root, 0);
    for (const { indicator, value } of viaApi) if (rootRecount[indicator] !== value) throw new Error(`gateway roll-up ${indicator}: ${value} vs ${rootRecount[indicator]}`);
    if (viaApi.length !== Object.keys(rootRecount).length) throw new Error('gateway roll-up lacks indicators');
    const rootTotal = viaApi.reduce((a, t) => a + t.value, 0);

    // measure, in the same run
    for (let i = 0; i < 20; i++) await admin.run(ROLLUP, { t: rootId });
    const gateway = await timed(READS, () => admin.run(ROLLUP, { t: rootId }));
    const gatewayDirective = await timed(READS, () => admin.run(ROLLUP, { t: rootId, c: String(rootCampaignId) }));
    const keyLookup = await timed(READS, () => db.query('SELECT indicator, value FROM rollup_totals WHERE tenant_id = ? AND directive_id = 0 AND tenant_path LIKE ?', [root.id, `${root.path}%`]));
    const recount = await timed(RECOUNTS, () => db.query(RECOUNT, [`${root.path}%`]));
    const [plan] = await db.query(`EXPLAIN ${RECOUNT}`, [`${root.path}%`]);

    const f = (v) => v.toFixed(2);
    const out = [];
    out.push(`### rollup — ${machine.date}`);
    out.push(`command: \`node bench/rollup-inproc.js ${process.argv.slice(2).join(' ')}\`; DATABASE_URL prefix ${new URL(DATABASE_URL).pathname.slice(1)}`);
    out.push(`machine: ${machine.nproc} cores (${machine.cpu}), ${machine.memGiB} GiB, node ${machine.node}, MariaDB ${machine.mariadb} ${JSON.stringify(machine.mariadbVars)}, load avg before ${machine.loadavg}`);
    out.push(`generated straight into ${new URL(DATABASE_URL).pathname.slice(1)}_campaigns in ${generateSeconds.toFixed(0)} s: ${tenants.length} tenants (root ${rootId} via the API), ${generated.length + 1} campaigns, ${activityId - 1000000} activities, ${statisticCount} statistics, ${rollupRows.length} rollup_totals rows; statistics + rollup_totals ${sizes.mib} MiB on disk`);
    out.push(`verified by recount: ${verified.join('; ')}; root via the gateway (sum of totals ${rootTotal})`);
    out.push(`recount plan: ${plan.map((r) => `${r.table} type=${r.type} key=${r.key ?? '—'} rows≈${r.rows} ${r.Extra ?? ''}`).join(' | ')}`);
    out.push('');
    out.push('| measurement | n | p50 ms | p95 ms | p99 ms | max ms |');
    out.push('| --- | --- | --- | --- | --- | --- |');
    const row = (name, s) => out.push(`| ${name} | ${s.n} | ${f(s.p50)} | ${f(s.p95)} | ${f(s.p99)} | ${f(s.max)} |`);
    row('`rollup(tenantId: root)` through the gateway', gateway);
    row('`rollup(tenantId: root, campaignId: national)` through the gateway', gatewayDirective);
    row('the roll-up key lookup alone (SQL, same connection as the recount)', keyLookup);
    row("recount `SELECT indicator, SUM(value) FROM statistics WHERE tenant_path LIKE '/<root>/%' GROUP BY indicator`", recount);
    out.push('');
    out.push(`roll-up read vs recount: ${(recount.p50 / gateway.p50).toFixed(0)}× faster at p50, ${(recount.p95 / gateway.p95).toFixed(0)}× at p95; goal p95 ≤ 20 ms: ${gateway.p95 <= 20 ? 'met' : 'NOT met'}; ≥ 50×: ${recount.p95 / gateway.p95 >= 50 ? 'met' : 'NOT met'}`);
    console.log(out.join('\n'));
  } finally {
    await db.end();
    await p.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
