// Roll-up read for the root of a generated tree of ≥ 3,000 tenants with ≥ 1,000,000 statistics:
// p50/p95 of `rollup(tenantId: root)` through the gateway (a key lookup on rollup_totals), and of
// a recount by GROUP BY over the path prefix, in the same run. MariaDB only.
//   DATABASE_URL=mysql://root@127.0.0.1:3306/cascade_bench node bench/rollup.js
// The tree and statistics are generated straight into the campaigns database (through the API
// they would take hours); the roll-up rows are computed from the same generated numbers.
const mysql = require('mysql2/promise');
const { percentile } = require('./common');
const { startCluster } = require('./cluster');
const { GraphQLClient } = require('@cascade/app');

const PROVINCES = 30, CITIES = 10, DISTRICTS = 10, ACTIVITIES = 36, INDICATORS = ['PARTICIPANTS', 'SIGNATURES', 'VISITORS', 'DISPLAY_BOARDS', 'BANNERS', 'MATERIALS_DISTRIBUTED', 'CONSULTATIONS', 'CONSULTATION_POINTS', 'PUBLICITY_VEHICLES', 'ENTERPRISES_TRAINED', 'TRAINEES', 'ENFORCEMENT_OFFICERS', 'BUSINESSES_INSPECTED', 'CASES_FILED'];

async function main() {
  if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL (MariaDB)');
  const cluster = await startCluster({ name: 'rollup', basePort: 4700 });
  const gql = new GraphQLClient(cluster.gatewayUrl);
  const root = await gql.signIn('root@bench.test', 'bench-root-password');
  const nation = (await root.run('mutation { createTenant(input: { name: "全国", level: NATIONAL }) { id } }')).createTenant.id;
  await root.run('mutation($t: ID!) { createUser(input: { tenantId: $t, email: "n@bench.test", name: "n", password: "bench-password", role: VIEWER }) { id } }', { t: nation });
  const viewer = await gql.signIn('n@bench.test', 'bench-password');

  const url = new URL(`${process.env.DATABASE_URL}_rollup_campaigns`);
  const db = await mysql.createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), database: url.pathname.slice(1) });
  // the tree: nation → 30 provinces → 10 cities each → 10 districts each (3,331 tenants)
  const tenants = [{ id: Number(nation), path: `/${nation}/` }];
  let next = 100000;
  for (let p = 0; p < PROVINCES; p++) {
    const prov = { id: next++, path: '' }; prov.path = `/${nation}/${prov.id}/`; tenants.push(prov);
    for (let c = 0; c < CITIES; c++) {
      const city = { id: next++, path: '' }; city.path = `${prov.path}${city.id}/`; tenants.push(city);
      for (let d = 0; d < DISTRICTS; d++) { const dist = { id: next++, path: '' }; dist.path = `${city.path}${dist.id}/`; tenants.push(dist); }
    }
  }
  const totals = new Map(); // `${tenantId}|${indicator}` → sum over its subtree
  let statistics = 0, activityId = 1;
  const started = Date.now();
  let batch = [];
  const flush = async () => {
    if (!batch.length) return;
    await db.query('INSERT INTO statistics (tenant_id, tenant_path, activity_id, campaign_id, indicator, value, approximate) VALUES ?', [batch]);
    batch = [];
  };
  for (const tenant of tenants.slice(1)) {
    const ancestors = tenant.path.split('/').filter(Boolean).map(Number);
    for (let a = 0; a < ACTIVITIES; a++, activityId++) {
      for (const indicator of INDICATORS.slice(0, 3 + (activityId % 12))) {
        const value = (activityId * 7 + indicator.length * 13) % 500;
        batch.push([tenant.id, tenant.path, activityId, 1, indicator, value, 0]);
        statistics++;
        for (const id of ancestors) totals.set(`${id}|${indicator}`, (totals.get(`${id}|${indicator}`) ?? 0) + value);
        if (batch.length >= 5000) await flush();
      }
    }
  }
  await flush();
  const pathOf = new Map(tenants.map((t) => [t.id, t.path]));
  const rollupRows = [...totals.entries()].map(([k, v]) => { const [id, indicator] = k.split('|'); return [Number(id), pathOf.get(Number(id)), 0, indicator, v]; });
  for (let i = 0; i < rollupRows.length; i += 5000) await db.query('INSERT INTO rollup_totals (tenant_id, tenant_path, directive_id, indicator, value) VALUES ?', [rollupRows.slice(i, i + 5000)]);
  console.log(`generated ${tenants.length} tenants, ${statistics} statistics, ${rollupRows.length} roll-up rows in ${((Date.now() - started) / 1000).toFixed(0)} s`);

  const q = 'query($t: ID!) { rollup(tenantId: $t) { totals { indicator value } } }';
  const check = await viewer.run(q, { t: nation });
  const [recount] = await db.query('SELECT indicator, SUM(value) AS total FROM statistics WHERE tenant_path LIKE ? GROUP BY indicator', [`/${nation}/%`]);
  for (const row of recount) {
    const got = check.rollup.totals.find((x) => x.indicator === row.indicator).value;
    if (got !== Number(row.total)) throw new Error(`mismatch ${row.indicator}: ${got} vs ${row.total}`);
  }
  const time = async (n, fn) => { const out = []; for (let i = 0; i < n; i++) { const t0 = process.hrtime.bigint(); await fn(); out.push(Number(process.hrtime.bigint() - t0) / 1e6); } return out.sort((a, b) => a - b); };
  for (let i = 0; i < 20; i++) await viewer.run(q, { t: nation }); // warm up
  const lookups = await time(200, () => viewer.run(q, { t: nation }));
  const scans = await time(20, () => db.query('SELECT indicator, SUM(value) AS total FROM statistics WHERE tenant_path LIKE ? GROUP BY indicator', [`/${nation}/%`]));
  const result = {
    tenants: tenants.length, statistics,
    rollupP50ms: percentile(lookups, 50).toFixed(1), rollupP95ms: percentile(lookups, 95).toFixed(1),
    recountP50ms: percentile(scans, 50).toFixed(0), recountP95ms: percentile(scans, 95).toFixed(0),
    speedupAtP95: (percentile(scans, 95) / percentile(lookups, 95)).toFixed(0),
  };
  console.log(JSON.stringify(result));
  await db.end();
  await cluster.stop();
}
main().catch((err) => { console.error(err); process.exit(1); });
