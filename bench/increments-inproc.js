'use strict';
/**
 * Increments under load: N concurrent HTTP clients (keep-alive) send incrementStatistic for one
 * activity × indicator (one hot row, and the roll-up rows of its 4 tenants × 5 directives).
 *
 *   npx tsc -b && node bench/increments-inproc.js [--count 20000] [--clients 50] [--by 1]
 *        [--targets gateway,subgraph,sql] [--no-keys] [--indicators 1] [--profile DIR]
 *
 * The platform (gateway + 4 subgraphs, startPlatform) runs in this process; the load generator
 * runs in a forked child process. `subgraph` sends the same mutation straight to the campaigns
 * subgraph with a signed internal context (no gateway); `sql` runs the increment's SQL statements
 * straight against MariaDB from the load generator (no Node GraphQL stack, no group commit).
 * Each target uses its own indicator(s)
 * and is checked: the statistic and the national roll-up must equal successes × by.
 * --profile DIR writes a V8 CPU profile of this (platform) process per target phase
 * (summarize with `node bench/cpuprofile-summary.js DIR/increments-<target>.cpuprofile`).
 */
const http = require('node:http');
const { fork } = require('node:child_process');
const { performance } = require('node:perf_hooks');

const MUTATION = 'mutation($i: IncrementStatisticInput!) { incrementStatistic(input: $i) { value } }';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}

// ───────────────────────────── load generator (child process) ─────────────────────────────
/**
 * Target `sql`: the statements one increment runs, sent straight to MariaDB (pool of 20, like a
 * service's), one transaction per increment (no group commit): the database's own ceiling for
 * one hot row plus its 20 roll-up rows, without the Node GraphQL stack.
 */
function sqlIncrement(job) {
  const mysql = require('mysql2/promise');
  const pool = mysql.createPool({ ...job.sql.server, database: job.sql.database, connectionLimit: 20 });
  const { tenantId, tenantPath, campaignId, rollupRows } = job.sql;
  const like = `${tenantPath}%`;
  const fn = async (input) => {
    await pool.query('SELECT * FROM activities WHERE id = ? AND tenant_path LIKE ?', [input.activityId, like]);
    await pool.query('SELECT * FROM campaigns WHERE id = ? AND tenant_path LIKE ?', [campaignId, like]);
    if (input.idempotencyKey) await pool.query('SELECT * FROM statistic_increments WHERE tenant_id = ? AND idempotency_key = ?', [tenantId, input.idempotencyKey]);
    let [[stat]] = await pool.query('SELECT * FROM statistics WHERE activity_id = ? AND indicator = ? AND tenant_path LIKE ?', [input.activityId, input.indicator, like]);
    if (!stat) {
      await pool.query('INSERT IGNORE INTO statistics (tenant_id, tenant_path, activity_id, campaign_id, indicator, value, approximate) VALUES (?, ?, ?, ?, ?, 0, 0)', [tenantId, tenantPath, input.activityId, campaignId, input.indicator]);
      [[stat]] = await pool.query('SELECT * FROM statistics WHERE activity_id = ? AND indicator = ?', [input.activityId, input.indicator]);
    }
    for (let attempt = 1; ; attempt++) {
      const conn = await pool.getConnection();
      try {
        await conn.query('START TRANSACTION');
        await conn.query('UPDATE statistics SET value = value + 0 WHERE id = ? AND tenant_id = ?', [stat.id, tenantId]);
        const [[locked]] = await conn.query('SELECT * FROM statistics WHERE id = ? AND tenant_path LIKE ?', [stat.id, like]);
        if (input.idempotencyKey) {
          await conn.query('INSERT INTO statistic_increments (tenant_id, tenant_path, idempotency_key, statistic_id, `by`, result_value) VALUES (?, ?, ?, ?, ?, ?)',
            [tenantId, tenantPath, input.idempotencyKey, stat.id, input.by, locked.value + input.by]);
        }
        await conn.query('UPDATE statistics SET value = value + ? WHERE id = ? AND tenant_id = ?', [input.by, stat.id, tenantId]);
        const rows = rollupRows.map(([t, path, directiveId]) => [t, path, directiveId, input.indicator, input.by]);
        await conn.query('INSERT INTO rollup_totals (tenant_id, tenant_path, directive_id, indicator, value) VALUES ? ON DUPLICATE KEY UPDATE value = value + VALUES(value)', [rows]);
        const [[after]] = await conn.query('SELECT * FROM statistics WHERE id = ? AND tenant_path LIKE ?', [stat.id, like]);
        await conn.query('COMMIT');
        return after;
      } catch (err) {
        await conn.query('ROLLBACK').catch(() => undefined);
        if (attempt >= 8 || !['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT'].includes(err.code)) throw err;
      } finally {
        conn.release();
      }
    }
  };
  fn.close = () => pool.end();
  return fn;
}

/** Straight to the subgraph: each request carries a context signed for its own body (valid 30 s). */
function signedFor(job, body) {
  if (!job.sign) return {};
  const { signInternalContext, INTERNAL_CONTEXT_HEADER } = require('@cascade/kernel');
  return { [INTERNAL_CONTEXT_HEADER]: signInternalContext(job.sign.claims, job.sign.secret, body) };
}

async function runLoad(job) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.clients });
  const url = new URL(job.url);
  const latencies = [];
  const errors = {};
  let issued = 0;
  let ok = 0;
  const post = (body) =>
    new Promise((resolve) => {
      const req = http.request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent,
          headers: { ...job.headers, ...signedFor(job, body), 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode, text }));
        },
      );
      req.on('error', (err) => resolve({ status: 0, text: String(err) }));
      req.end(body);
    });
  const viaSql = job.sql ? sqlIncrement(job) : null;
  const client = async (c) => {
    while (issued < job.count) {
      const n = issued++;
      const indicator = job.indicators[n % job.indicators.length];
      const input = { activityId: job.activityId, indicator, by: job.by };
      if (job.keys) input.idempotencyKey = `${job.keyPrefix}-${c}-${n}`;
      if (viaSql) {
        const started = performance.now();
        try {
          await viaSql(input);
          ok++;
          latencies.push(performance.now() - started);
        } catch (err) {
          errors[`${err.code}: ${err.message}`] = (errors[`${err.code}: ${err.message}`] ?? 0) + 1;
        }
        continue;
      }
      const body = JSON.stringify({ query: MUTATION, variables: { i: input } });
      const started = performance.now();
      const res = await post(body);
      const elapsed = performance.now() - started;
      let data = null;
      try { data = JSON.parse(res.text); } catch { /* counted below */ }
      if (res.status === 200 && data?.data?.incrementStatistic && !data.errors) {
        ok++;
        latencies.push(elapsed);
      } else {
        const code = data?.errors?.[0]?.extensions?.code ?? `HTTP ${res.status}`;
        const key = `${code}: ${data?.errors?.[0]?.message ?? res.text.slice(0, 120)}`;
        errors[key] = (errors[key] ?? 0) + 1;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: job.clients }, (_, c) => client(c)));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  await viaSql?.close();
  const cpu = process.cpuUsage();
  return { ok, seconds, latencies, errors, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

if (process.argv.includes('--child')) {
  process.once('message', async (job) => {
    process.send(await runLoad(job), () => process.exit(0));
  });
  return;
}

// ───────────────────────────── platform, setup, checks (main process) ─────────────────────────────
const { verifyToken } = require('@cascade/kernel');
const { MysqlQueryRunner } = require('typeorm/driver/mysql/MysqlQueryRunner');
const lib = require('./lib');

const DATABASE_URL = process.env.DATABASE_URL || 'mysql://root@127.0.0.1:3306/cascade_bench_inc';
const COUNT = Number(arg('count', 20000));
const CLIENTS = Number(arg('clients', 50));
const BY = Number(arg('by', 1));
const KEYS = !process.argv.includes('--no-keys');
const TARGETS = arg('targets', 'gateway,subgraph,sql').split(',');
const INDICATORS_PER_TARGET = Number(arg('indicators', 1));
const PROFILE_DIR = arg('profile', null);
const ALL_INDICATORS = ['SIGNATURES', 'PARTICIPANTS', 'VISITORS', 'DISPLAY_BOARDS', 'BANNERS', 'MATERIALS_DISTRIBUTED',
  'CONSULTATIONS', 'CONSULTATION_POINTS', 'PUBLICITY_VEHICLES', 'ENTERPRISES_TRAINED', 'TRAINEES', 'ENFORCEMENT_OFFICERS',
  'BUSINESSES_INSPECTED', 'CASES_FILED', 'ITEMS_CONFISCATED'];

/** Time the campaigns service spends in SQL (incl. waiting for a pooled connection) and in transactions. */
function instrument(dataSource) {
  const m = { queries: 0, queryMs: 0, tx: 0, txMs: 0 };
  const { query, startTransaction, commitTransaction } = MysqlQueryRunner.prototype;
  MysqlQueryRunner.prototype.query = async function (...a) {
    if (this.connection !== dataSource) return query.apply(this, a);
    const t = performance.now();
    try { return await query.apply(this, a); } finally { m.queries++; m.queryMs += performance.now() - t; }
  };
  MysqlQueryRunner.prototype.startTransaction = async function (...a) {
    if (this.connection === dataSource) this.benchTxStart = performance.now();
    return startTransaction.apply(this, a);
  };
  MysqlQueryRunner.prototype.commitTransaction = async function (...a) {
    const r = await commitTransaction.apply(this, a);
    if (this.benchTxStart) { m.tx++; m.txMs += performance.now() - this.benchTxStart; this.benchTxStart = undefined; }
    return r;
  };
  return { snapshot: () => ({ ...m }) };
}

/** Starts the V8 profiler on this process; the returned function stops it and writes the profile. */
async function startProfile(file) {
  const inspector = require('node:inspector');
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (err, r) => (err ? reject(err) : resolve(r))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 1000 });
  await post('Profiler.start');
  return async () => {
    const { profile } = await post('Profiler.stop');
    require('node:fs').mkdirSync(require('node:path').dirname(file), { recursive: true });
    require('node:fs').writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

function load(job) {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--child'], { stdio: 'inherit' });
    child.once('message', resolve);
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`load generator exited ${code}`)));
    child.send(job);
  });
}

async function main() {
  const machine = await lib.machine(DATABASE_URL);
  const p = await lib.startBenchPlatform(DATABASE_URL);
  try {
    // nation → province → city → district, each with an ADMIN and a campaign implementing its parent's
    const levels = [['全国', 'NATIONAL'], ['甲省', 'PROVINCE'], ['甲一市', 'CITY'], ['甲一区', 'DISTRICT']];
    const line = [];
    let directive = null;
    for (const [i, [name, level]] of levels.entries()) {
      const node = await lib.createTenant(p, { name, level, parentId: line[i - 1]?.tenantId ?? null, key: `inc${i}` });
      const c = await node.admin.run('mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }', {
        i: { title: `${name}宣传周`, startsOn: '2024-04-20', endsOn: '2024-04-26', implementsId: directive },
      });
      directive = c.createCampaign.id;
      await node.admin.run('mutation($id: ID!) { publishCampaign(id: $id) { status } }', { id: directive });
      line.push(node);
    }
    const district = line.at(-1);
    const act = await district.admin.run('mutation($c: ID!) { createActivity(input: { campaignId: $c, title: "万人签名", kind: SIGNATURE_DRIVE, startsAt: "2024-04-20T02:00:00Z" }) { id } }', { c: directive });
    const activityId = act.createActivity.id;
    await p.root.run('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
      i: { tenantId: district.tenantId, email: 'editor@inc.bench', name: '统计员', password: lib.PASSWORD, role: 'EDITOR' },
    });
    const editor = await p.gql.signIn('editor@inc.bench', lib.PASSWORD);
    const { claims } = await verifyToken(editor.token, p.config.JWT_SECRET);

    const campaigns = p.service('campaigns');
    const probe = instrument(campaigns.dataSource);
    // for target `sql`: the district's path and the 4 tenants × [0, ...4 directives] roll-up keys
    const [[{ tenant_path: districtPath }]] = [await campaigns.dataSource.query('SELECT tenant_path FROM activities WHERE id = ?', [Number(activityId)])];
    const [[{ directive_path: directivePath }]] = [await campaigns.dataSource.query('SELECT directive_path FROM campaigns WHERE id = ?', [Number(directive)])];
    const lineage = districtPath.split('/').filter(Boolean);
    const sql = {
      server: lib.serverOf(DATABASE_URL),
      database: `${new URL(DATABASE_URL).pathname.slice(1)}_campaigns`,
      tenantId: Number(district.tenantId), tenantPath: districtPath, campaignId: Number(directive),
      rollupRows: lineage.flatMap((id, i) => [0, ...directivePath.split('/').filter(Boolean).map(Number)]
        .map((d) => [Number(id), `/${lineage.slice(0, i + 1).join('/')}/`, d]))
        .sort((a, b) => a[0] - b[0] || a[2] - b[2]),
    };
    const jobFor = (target, indicators, count) => ({
      sql: target === 'sql' ? sql : undefined,
      url: target === 'gateway' ? p.platform.gateway.url : campaigns.url,
      headers: target === 'gateway' ? { authorization: `Bearer ${editor.token}` } : {},
      sign: target === 'subgraph' ? { claims, secret: p.config.INTERNAL_SECRET } : undefined,
      count, clients: CLIENTS, activityId, indicators, by: BY, keys: KEYS, keyPrefix: `${target}-${Date.now()}`,
    });

    // warm-up (JIT, pools) on the first target, checked like the rest but not in the figures
    const warmIndicator = ALL_INDICATORS.at(-1);
    const warm = await load(jobFor(TARGETS[0], [warmIndicator], Math.min(2000, COUNT)));
    const expected = { [warmIndicator]: warm.ok * BY };

    const results = [];
    let next = 0;
    for (const target of TARGETS) {
      const indicators = ALL_INDICATORS.slice(next, next + INDICATORS_PER_TARGET);
      next += INDICATORS_PER_TARGET;
      const before = { db: probe.snapshot(), cpu: process.cpuUsage(), elu: performance.eventLoopUtilization(), maria: lib.mariadbCpuSeconds() };
      const stopProfile = PROFILE_DIR ? await startProfile(`${PROFILE_DIR}/increments-${target}.cpuprofile`) : null;
      const r = await load(jobFor(target, indicators, COUNT));
      if (stopProfile) await stopProfile();
      const db = probe.snapshot();
      const cpu = process.cpuUsage(before.cpu);
      const elu = performance.eventLoopUtilization(before.elu);
      const maria = lib.mariadbCpuSeconds();
      // the per-indicator split of successes is not tracked; with one indicator per target it is exact
      if (indicators.length === 1) expected[indicators[0]] = r.ok * BY;
      results.push({
        target, indicators, ...r, latencies: undefined,
        rate: r.ok / r.seconds,
        lat: lib.stats(r.latencies),
        platformCpu: (cpu.user + cpu.system) / 1e6 / r.seconds,
        loadCpu: r.cpuSeconds / r.seconds,
        mariaCpu: maria === null ? null : (maria - before.maria) / r.seconds,
        eventLoop: elu.utilization,
        perIncrement: {
          queries: (db.queries - before.db.queries) / (r.ok + Object.values(r.errors).reduce((a, b) => a + b, 0)),
          sqlMs: (db.queryMs - before.db.queryMs) / r.ok,
          txMs: (db.txMs - before.db.txMs) / (db.tx - before.db.tx),
          perTx: db.tx > before.db.tx ? r.ok / (db.tx - before.db.tx) : NaN,
        },
        totalOk: r.ok,
      });
    }

    // zero lost: each statistic (read through the gateway) and the national roll-up (directive 0) vs successes × by
    const read = await editor.run('query($a: ID!) { activity(id: $a) { statistics { indicator value } } }', { a: activityId });
    const values = Object.fromEntries(read.activity.statistics.map((s) => [s.indicator, s.value]));
    const [nationalId] = [line[0].tenantId];
    const rollupRows = await campaigns.dataSource.query('SELECT indicator, value FROM rollup_totals WHERE tenant_id = ? AND directive_id = 0', [Number(nationalId)]);
    const rollup = Object.fromEntries(rollupRows.map((r) => [r.indicator, Number(r.value)]));
    const checks = results.map((r) => {
      const got = r.indicators.reduce((a, i) => a + (values[i] ?? 0), 0);
      const rolled = r.indicators.reduce((a, i) => a + (rollup[i] ?? 0), 0);
      return { target: r.target, expected: r.ok * BY, statistic: got, nationalRollup: rolled, lost: r.ok * BY - got };
    });
    checks.unshift({ target: 'warm-up', expected: expected[warmIndicator], statistic: values[warmIndicator], nationalRollup: rollup[warmIndicator], lost: expected[warmIndicator] - values[warmIndicator] });

    report({ machine, results, checks, command: `node bench/increments-inproc.js ${process.argv.slice(2).join(' ')}`.trim() });
    if (checks.some((c) => c.lost !== 0 || c.nationalRollup !== c.statistic)) process.exitCode = 1;
  } finally {
    await p.stop();
  }
}

function report({ machine, results, checks, command }) {
  const f = (v, d = 1) => (v === null || v === undefined || Number.isNaN(v) ? '—' : Number(v).toFixed(d));
  const out = [];
  out.push(`### increments — ${machine.date}`);
  out.push(`command: \`${command}\` (clients ${CLIENTS}, ${COUNT} per target, by ${BY}, idempotency keys ${KEYS ? 'on' : 'off'})`);
  out.push(`machine: ${machine.nproc} cores (${machine.cpu}), ${machine.memGiB} GiB, node ${machine.node}, MariaDB ${machine.mariadb} ${JSON.stringify(machine.mariadbVars)}, load avg before ${machine.loadavg}`);
  out.push('');
  out.push('| target | ok | errors | increments/s | p50 ms | p99 ms | max ms | platform CPU (cores) | load-gen CPU | mariadbd CPU | event-loop busy | SQL/incr | SQL ms/incr | tx ms | incr/tx |');
  out.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    const errs = Object.values(r.errors).reduce((a, b) => a + b, 0);
    out.push(`| ${r.target} | ${r.ok} | ${errs} | ${f(r.rate, 0)} | ${f(r.lat.p50)} | ${f(r.lat.p99)} | ${f(r.lat.max)} | ${f(r.platformCpu, 2)} | ${f(r.loadCpu, 2)} | ${f(r.mariaCpu, 2)} | ${f(r.eventLoop * 100, 0)}% | ${f(r.perIncrement.queries)} | ${f(r.perIncrement.sqlMs, 2)} | ${f(r.perIncrement.txMs, 2)} | ${f(r.perIncrement.perTx, 1)} |`);
    for (const [e, n] of Object.entries(r.errors)) out.push(`|  | error ×${n}: ${e.replace(/\|/g, '/')} |`);
  }
  out.push('');
  out.push('| check | expected (ok × by) | statistic | national roll-up | lost |');
  out.push('| --- | --- | --- | --- | --- |');
  for (const c of checks) out.push(`| ${c.target} | ${c.expected} | ${c.statistic} | ${c.nationalRollup} | ${c.lost} |`);
  console.log(out.join('\n'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
