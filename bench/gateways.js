'use strict';
// Cascade's gateway against stock gateways, on one set of Cascade subgraphs (issue 14, goal 1).
//
//   npx tsc -b && node bench/gateways.js [--rounds 3] [--seconds 10] [--warmup 2] [--connections 50]
//     [--gateways cascade,hive-js,hive-rust,apollo] [--queries heavy,trivial] [--base-port 4700]
//     [--profile DIR]   (CPU profiles of every gateway process: DIR/<gateway>.cpuprofile,
//                        read with bench/cpuprofile-summary.js)
//     [--before TREE]   (adds gateway `cascade-before`: TREE/gateway/dist/main.js, another built
//                        checkout of Cascade, e.g. an earlier commit, on the same subgraphs)
//   Automatic persisted queries: `--gateways cascade,cascade-get,cascade-apq,cascade-apq-get` sends
//   the same queries to the same Cascade process as its full text in a POST body (cascade) or a GET
//   URL (cascade-get), by its hash alone in a POST body (cascade-apq) and by its hash alone in a GET
//   URL (cascade-apq-get), each document registered once before any load; the report gives the
//   bytes of one request on the wire.
//
// Every subgraph (org, campaigns, media, feeds, reports) and every gateway is its own process
// (SQLite in a temporary DATA_DIR, or DATABASE_URL's MariaDB); this process only seeds data and
// generates load. Gateways:
//   cascade    gateway/dist/main.js as in production (JWT, token status, limits, signed context…)
//   hive-js    Hive Gateway's runtime, stock (JS query planner)       ┐ bench/gateway-stock.js:
//   hive-rust  Hive Gateway's runtime + @graphql-hive/router-runtime  │ each only signs the
//   apollo     @apollo/gateway behind @apollo/server (standalone)     ┘ internal context
// Load: N keep-alive connections, each sending the next request when the previous answered.
// Rounds are interleaved (round r: every query, every gateway, in an order rotated by r), and
// every answer is checked: 200 and the same data as Cascade's reference answer (byte-equal, or
// deep-equal after parsing); one mismatch is reported with the round. Besides req/s, each
// window reads the CPU time every process spent (/proc), so CPU ms per request is a second,
// less load-sensitive measure on a shared machine.
const { spawn, fork } = require('node:child_process');
const { readFileSync, mkdtempSync, rmSync } = require('node:fs');
const { isDeepStrictEqual } = require('node:util');
const http = require('node:http');
const { createHash } = require('node:crypto');
const os = require('node:os');
const path = require('node:path');
const { GraphQLClient } = require('@cascade/app');
const { verifyToken } = require('@cascade/kernel');

const ROOT = path.resolve(__dirname, '..');
const SERVICES = ['org', 'campaigns', 'media', 'feeds', 'reports'];
const ALL_GATEWAYS = ['cascade', 'hive-js', 'hive-rust', 'apollo'];
/**
 * Cascade itself, asked another way: by document hash (automatic persisted queries) in a POST body
 * or a GET URL, or by its text in a GET URL (to tell what GET saves from what the hash saves).
 */
const VARIANTS = { 'cascade-get': { method: 'GET', hash: false }, 'cascade-apq': { method: 'POST', hash: true }, 'cascade-apq-get': { method: 'GET', hash: true } };
const JWT_SECRET = 'bench-jwt-secret-0123456789';
const INTERNAL_SECRET = 'bench-internal-secret-0123456789';

function args() {
  const out = { rounds: 3, seconds: 10, warmup: 2, connections: 50, gateways: ALL_GATEWAYS.join(','), queries: 'heavy,trivial', basePort: 4700, activities: 20, profile: '', before: '' };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '').replace(/-(\w)/g, (_, c) => c.toUpperCase());
    if (!(key in out)) throw new Error(`unknown option ${argv[i]}`);
    out[key] = typeof out[key] === 'number' ? Number(argv[i + 1]) : argv[i + 1];
  }
  out.gateways = out.gateways.split(',');
  out.queries = out.queries.split(',');
  return out;
}

const HEAVY = `query Heavy($tenantId: ID!) {
  tenant(id: $tenantId) {
    name
    level
    campaigns {
      title
      status
      activities {
        title
        kind
        startsAt
        leadUnit { name }
        supportingUnits { name }
        tenant { name }
        statistics { indicator value }
        assets { title kind status }
      }
    }
  }
}`;
const TRIVIAL = '{ __typename }';

async function waitReady(url, ms = 60000) {
  const started = Date.now();
  while (Date.now() - started < ms) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} not ready`);
}

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** node flags writing a CPU profile of a gateway process when it exits (--profile DIR). */
function profileArgs(opts, name) {
  return opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(opts.profile)}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
}

async function startProcesses(opts, children) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cascade-gateways-'));
  const port = (i) => opts.basePort + 1 + i;
  const urls = Object.fromEntries(SERVICES.map((s, i) => [s, `http://127.0.0.1:${port(i)}/graphql`]));
  const env = {
    ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'error', DATA_DIR: dataDir, HOST: '127.0.0.1', DEMO_DATA: 'false',
    JWT_SECRET, INTERNAL_SECRET, ROOT_ADMIN_EMAIL: 'root@bench.test', ROOT_ADMIN_PASSWORD: 'bench-root-password',
    DATABASE_URL: process.env.DATABASE_URL ?? '', REDIS_URL: '', EVENT_CHANNEL_PREFIX: `bench-gateways-${process.pid}`,
    ...Object.fromEntries(SERVICES.map((s) => [`${s.toUpperCase()}_URL`, urls[s]])),
  };
  for (const [i, service] of SERVICES.entries()) {
    children[service] = spawn(process.execPath, [path.join(ROOT, `services/${service}/dist/main.js`)], { env: { ...env, PORT: String(port(i)) }, stdio: 'inherit' });
    await waitReady(urls[service].replace('/graphql', '/readyz'));
  }
  children.cascade = spawn(process.execPath, [...profileArgs(opts, 'cascade'), path.join(ROOT, 'gateway/dist/main.js')], { env: { ...env, PORT: String(opts.basePort) }, stdio: 'inherit' });
  await waitReady(`http://127.0.0.1:${opts.basePort}/healthz`);
  if (opts.before) {
    const port = opts.basePort + 20;
    children['cascade-before'] = spawn(process.execPath, [...profileArgs(opts, 'cascade-before'), path.resolve(opts.before, 'gateway/dist/main.js')], { env: { ...env, PORT: String(port) }, stdio: 'inherit' });
    await waitReady(`http://127.0.0.1:${port}/healthz`);
  }
  return { env, dataDir, cascadeUrl: `http://127.0.0.1:${opts.basePort}/graphql` };
}

/** A city under a province under the nation, its admin, 6 units, a campaign with N activities, statistics and assets. */
async function seed(cascadeUrl, activityCount) {
  const gql = new GraphQLClient(cascadeUrl);
  // org may answer /readyz a moment before root's account is written
  let root;
  for (let attempt = 1; !root; attempt++) {
    try {
      root = await gql.signIn('root@bench.test', 'bench-root-password');
    } catch (err) {
      if (attempt === 20) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const tenant = async (name, level, parentId) => (await root.run('mutation($i: CreateTenantInput!) { createTenant(input: $i) { id } }', { i: { name, level, parentId } })).createTenant.id;
  const nation = await tenant('全国', 'NATIONAL', null);
  const province = await tenant('兵团', 'PROVINCE', nation);
  const city = await tenant('第八师', 'CITY', province);
  await root.run('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', { i: { tenantId: city, email: 'admin@bashi.bench', name: '八师管理员', password: 'bench-password-0', role: 'ADMIN' } });
  const admin = await gql.signIn('admin@bashi.bench', 'bench-password-0');
  const units = [];
  for (const name of ['市知识产权局', '市市场监管局', '市委宣传部', '市司法局', '市教育局', '市文旅局']) {
    units.push((await admin.run('mutation($i: CreateUnitInput!) { createUnit(input: $i) { id } }', { i: { name } })).createUnit.id);
  }
  const campaignId = (await admin.run('mutation { createCampaign(input: { title: "知识产权宣传周", startsOn: "2024-04-20", endsOn: "2024-04-26" }) { id } }')).createCampaign.id;
  const kinds = ['OPENING_CEREMONY', 'SIGNATURE_DRIVE', 'FORUM', 'EXHIBITION', 'CONSULTATION'];
  for (let i = 0; i < activityCount; i++) {
    const input = {
      campaignId, title: `活动${i + 1}`, kind: kinds[i % kinds.length], startsAt: new Date(Date.UTC(2024, 3, 20, 2 + i)).toISOString(),
      leadUnitId: units[i % units.length], supportingUnitIds: [units[(i + 1) % units.length], units[(i + 2) % units.length]],
    };
    const activityId = (await admin.run('mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }', { i: input })).createActivity.id;
    for (const [indicator, value] of [['PARTICIPANTS', 100 + i], ['MATERIALS_DISTRIBUTED', 1000 + i]]) {
      await admin.run('mutation($i: RecordStatisticInput!) { recordStatistic(input: $i) { id } }', { i: { activityId, indicator, value } });
    }
    await admin.run('mutation($i: RequestUploadInput!) { requestUpload(input: $i) { asset { id } } }', {
      i: { title: `展板${i + 1}`, kind: 'DISPLAY_BOARD', fileName: `board-${i + 1}.png`, contentType: 'image/png', byteSize: 1024, activityId },
    });
  }
  const { claims } = await verifyToken(admin.token, JWT_SECRET);
  return { token: admin.token, claims, variables: { tenantId: city } };
}

function startStock(opts, kind, port, env, claims, children) {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'gateway-stock.js'), { env: { ...env, KIND: kind, PORT: String(port), CLAIMS: JSON.stringify(claims) }, stdio: 'inherit', execArgv: profileArgs(opts, kind) });
    children[kind] = child;
    child.once('message', () => resolve(`http://127.0.0.1:${port}/graphql`));
    child.once('exit', (code) => reject(new Error(`${kind} exited with ${code}`)));
  });
}

/**
 * One POST (or, with a null payload, a GET of `url`) over a keep-alive agent: status, body text,
 * and the bytes the request took on its socket (request line, headers and body).
 */
function post(agent, url, payload, token) {
  return new Promise((resolve, reject) => {
    const headers = payload === null
      ? { accept: 'application/json', authorization: `Bearer ${token}` }
      : { 'content-type': 'application/json', accept: 'application/json', 'content-length': payload.length, authorization: `Bearer ${token}` };
    let written = 0;
    const req = http.request(url, { method: payload === null ? 'GET' : 'POST', agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8'), requestBytes: req.socket.bytesWritten - written }));
      res.on('error', reject);
    });
    req.on('socket', (socket) => { written = socket.bytesWritten; });
    req.on('error', reject);
    req.end(payload ?? undefined);
  });
}

/** What one gateway is sent for one query: its text, or (APQ variants) its hash in a body or a URL. */
function requestOf(gateway, url, query) {
  const variant = VARIANTS[gateway];
  if (!variant) return { url, payload: Buffer.from(JSON.stringify(query)) };
  const extensions = variant.hash ? { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query.query).digest('hex') } } : undefined;
  const sent = variant.hash ? { variables: query.variables, extensions } : query;
  if (variant.method === 'POST') return { url, payload: Buffer.from(JSON.stringify(sent)), extensions };
  const params = new URLSearchParams(Object.entries(sent).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
  return { url: `${url}?${params}`, payload: null, extensions };
}

/** The bytes one request takes on a kept-alive socket (measured on its second use). */
async function wireBytes(url, payload, token) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  await post(agent, url, payload, token);
  const { requestBytes } = await post(agent, url, payload, token);
  agent.destroy();
  return requestBytes;
}

/** Checks one answer against the reference data; remembers each gateway's exact bytes to keep the check cheap. */
function checker(reference) {
  const known = new Set();
  return (response) => {
    if (response.status !== 200) return false;
    if (known.has(response.body)) return true;
    let parsed;
    try {
      parsed = JSON.parse(response.body);
    } catch {
      return false;
    }
    if (parsed.errors || !isDeepStrictEqual(parsed.data, reference)) return false;
    known.add(response.body);
    return true;
  };
}

/** N connections in closed loop for `seconds`; every answer checked. */
async function load({ url, payload, token, check, connections, seconds, pids }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies = [];
  let bad = 0;
  let firstBad = null;
  const cpuBefore = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      let response;
      try {
        response = await post(agent, url, payload, token);
      } catch (err) {
        response = { status: 0, body: String(err) };
      }
      latencies.push(performance.now() - t0);
      if (!check(response)) {
        bad++;
        firstBad ??= response.body.slice(0, 500);
      }
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  const cpu = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid) - cpuBefore[k]]));
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return { requests: latencies.length, rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), bad, firstBad, cpu, elapsed };
}

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const opts = args();
  const children = {};
  process.on('exit', () => Object.values(children).forEach((c) => c.kill('SIGKILL')));
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(1));
  const started = new Date();
  const { env, dataDir, cascadeUrl } = await startProcesses(opts, children);
  const { token, claims, variables } = await seed(cascadeUrl, opts.activities);
  const urls = { cascade: cascadeUrl, ...(opts.before ? { 'cascade-before': `http://127.0.0.1:${opts.basePort + 20}/graphql` } : {}) };
  for (const variant of Object.keys(VARIANTS)) {
    if (!opts.gateways.includes(variant)) continue;
    urls[variant] = cascadeUrl;
    children[variant] = children.cascade;
  }
  if (opts.before && !opts.gateways.includes('cascade-before')) opts.gateways.splice(1, 0, 'cascade-before');
  for (const [i, kind] of opts.gateways.filter((g) => !urls[g]).entries()) {
    urls[kind] = await startStock(opts, kind, opts.basePort + 10 + i, env, claims, children);
  }
  const queries = { heavy: { query: HEAVY, variables }, trivial: { query: TRIVIAL, variables: {} } };
  // reference answers: Cascade's; every gateway must answer the same before any load
  const reference = {};
  const checks = {};
  const sent = {}; // `${gateway} ${query}` → { url, payload }
  const requestBytes = {};
  for (const name of opts.queries) {
    const payload = Buffer.from(JSON.stringify(queries[name]));
    const first = JSON.parse((await post(undefined, cascadeUrl, payload, token)).body);
    if (first.errors || !first.data) throw new Error(`cascade answered ${name} with ${JSON.stringify(first).slice(0, 500)}`);
    reference[name] = { payload, data: first.data };
    checks[name] = checker(first.data);
    for (const gateway of opts.gateways) {
      const request = requestOf(gateway, urls[gateway], queries[name]);
      // an APQ variant's document is registered once (hash and text), then sent by its hash alone
      if (request.extensions) {
        const registered = await post(undefined, cascadeUrl, Buffer.from(JSON.stringify({ ...queries[name], extensions: request.extensions })), token);
        if (!checks[name](registered)) throw new Error(`${gateway} did not register ${name}: ${registered.status} ${registered.body.slice(0, 500)}`);
      }
      const answer = await post(undefined, request.url, request.payload, token);
      if (!checks[name](answer)) throw new Error(`${gateway} answered ${name} differently: ${answer.status} ${answer.body.slice(0, 500)}`);
      sent[`${gateway} ${name}`] = { url: request.url, payload: request.payload };
      requestBytes[`${gateway} ${name}`] = await wireBytes(request.url, request.payload, token);
    }
  }
  const subgraphPids = SERVICES.map((s) => children[s].pid);
  const results = [];
  for (let round = 1; round <= opts.rounds; round++) {
    for (const name of opts.queries) {
      const order = opts.gateways.map((_, i) => opts.gateways[(i + round - 1) % opts.gateways.length]);
      for (const gateway of order) {
        const common = { ...sent[`${gateway} ${name}`], token, check: checks[name], connections: opts.connections };
        if (opts.warmup > 0) await load({ ...common, seconds: opts.warmup, pids: {} });
        const pids = { gateway: children[gateway].pid, self: process.pid, ...Object.fromEntries(SERVICES.map((s, i) => [s, subgraphPids[i]])) };
        const r = await load({ ...common, seconds: opts.seconds, pids });
        const subgraphCpu = SERVICES.reduce((sum, s) => sum + r.cpu[s], 0);
        const row = {
          round, query: name, gateway, rps: Math.round(r.rps), p50: +r.p50.toFixed(1), p99: +r.p99.toFixed(1), requests: r.requests, bad: r.bad,
          gatewayCpuMsPerReq: +((r.cpu.gateway * 1000) / r.requests).toFixed(3),
          subgraphCpuMsPerReq: +((subgraphCpu * 1000) / r.requests).toFixed(3),
          loadgenCpuMsPerReq: +((r.cpu.self * 1000) / r.requests).toFixed(3),
          loadavg1: +os.loadavg()[0].toFixed(2),
        };
        results.push(row);
        console.error(JSON.stringify(row));
        if (r.bad) console.error(`  first bad answer from ${gateway}: ${r.firstBad}`);
      }
    }
  }
  // each process ends on SIGTERM (and writes its profile): wait for all, at most 15 s
  await Promise.all(Object.values(children).map((c) => new Promise((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve();
    c.once('exit', resolve);
    c.kill('SIGTERM');
    setTimeout(resolve, 15000).unref();
  })));
  rmSync(dataDir, { recursive: true, force: true });
  report(opts, started, results, requestBytes);
  process.exit(0);
}

function report(opts, started, results, requestBytes) {
  const rows = (query, gateway) => results.filter((r) => r.query === query && r.gateway === gateway);
  const byRound = (query, gateway, round) => results.find((r) => r.query === query && r.gateway === gateway && r.round === round);
  const lines = [];
  lines.push(`Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.env.DATABASE_URL ? 'MariaDB' : 'SQLite'}; ${started.toISOString()} → ${new Date().toISOString()}; load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  lines.push(`Command: \`node bench/gateways.js --rounds ${opts.rounds} --seconds ${opts.seconds} --warmup ${opts.warmup} --connections ${opts.connections} --gateways ${opts.gateways.filter((g) => g !== 'cascade-before').join(',')} --queries ${opts.queries.join(',')}${opts.before ? ` --before ${opts.before}` : ''}\``);
  lines.push('');
  lines.push('| query | gateway | request bytes | req/s per round | median req/s | p50 / p99 ms (median round) | gateway CPU ms/req | subgraphs CPU ms/req | wrong answers |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const query of opts.queries) {
    for (const gateway of opts.gateways) {
      const rs = rows(query, gateway);
      const mid = rs.slice().sort((a, b) => a.rps - b.rps)[Math.floor(rs.length / 2)];
      lines.push(`| ${query} | ${gateway} | ${requestBytes[`${gateway} ${query}`]} | ${rs.map((r) => r.rps).join(' / ')} | **${median(rs.map((r) => r.rps))}** | ${mid.p50} / ${mid.p99} | ${median(rs.map((r) => r.gatewayCpuMsPerReq)).toFixed(2)} | ${median(rs.map((r) => r.subgraphCpuMsPerReq)).toFixed(2)} | ${rs.reduce((s, r) => s + r.bad, 0)} of ${rs.reduce((s, r) => s + r.requests, 0)} |`);
    }
  }
  if (opts.gateways.includes('cascade')) {
    lines.push('');
    lines.push('| query | Cascade ÷ | ratio of median req/s | per-round ratios (median) | ratio of gateway CPU ms/req (theirs ÷ Cascade\'s) |');
    lines.push('| --- | --- | --- | --- | --- |');
    for (const query of opts.queries) {
      for (const other of opts.gateways.filter((g) => g !== 'cascade')) {
        const ratio = median(rows(query, 'cascade').map((r) => r.rps)) / median(rows(query, other).map((r) => r.rps));
        const perRound = [];
        for (let round = 1; round <= opts.rounds; round++) perRound.push((byRound(query, 'cascade', round).rps / byRound(query, other, round).rps).toFixed(2));
        const cpu = median(rows(query, other).map((r) => r.gatewayCpuMsPerReq)) / median(rows(query, 'cascade').map((r) => r.gatewayCpuMsPerReq));
        lines.push(`| ${query} | ${other} | **${ratio.toFixed(2)}** | ${perRound.join(' / ')} (${median(perRound.map(Number)).toFixed(2)}) | ${cpu.toFixed(2)} |`);
      }
    }
  }
  console.log(lines.join('\n'));
  console.log(JSON.stringify({ opts, results }));
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

module.exports = { seed, HEAVY, TRIVIAL };
