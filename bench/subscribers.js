'use strict';
/**
 * Live fan-out against the socket limit, in one run. N graphql-ws subscribers of one activity
 * (one token: they share one upstream subscription), RATE events per second for SECONDS:
 *  - cascade: the gateway process(es) of bench/cluster.js (org, campaigns, feeds, gateway, Redis
 *    bus), each event an `incrementStatistic` over HTTP, sent on schedule (not waiting for answers);
 *  - bare: bench/bare-ws.js, a `ws` server sending the same bytes (a `next` frame copied from
 *    Cascade's) to the same number of sockets from the same client processes, each event an IPC
 *    message: what Node and the kernel can deliver on this machine, nothing else.
 * Phases alternate (cascade, bare, bare, cascade, ...) over ROUNDS rounds; the load average is
 * recorded before each. Per phase: delivered frames/s in the window [first event, last event +
 * 1 s] and its ratio to the bare phase of the same round, latency from an event's send to the
 * first arrival of its value or a later one (p50/p99, all subscribers × events), values never
 * seen, stale values (older than one the subscriber already showed), repeats, subscribers that
 * end on the final value, CPU of the server process(es), the clients and the machine.
 *
 *   npx tsc -b
 *   node bench/subscribers.js --subscribers 1000,5000 --rate 10 --seconds 20 --rounds 3
 *   node bench/subscribers.js --subscribers 20000 --rate 2 --seconds 60 --rounds 2
 *   node bench/subscribers.js --subscribers 20000 --rate 2 --seconds 60 --gateways 2   (node:cluster, both servers)
 *   node bench/subscribers.js 1000 60                      (N, SECONDS: cascade and bare, one round)
 * Options: --servers cascade,bare; --per-clients 5000 (sockets per client process);
 * --profile DIR (the gateway writes a V8 CPU profile there when the run ends: see
 * cpuprofile-summary.js); --out FILE (JSON lines, default /tmp/cascade-bench/subscribers.jsonl).
 * SQLite, or DATABASE_URL (MariaDB) for the subgraphs.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const WebSocket = require('ws');
const { GraphQLClient } = require('@cascade/app');
const { venue } = require('./common');
const { startCluster } = require('./cluster');
const { now, startClients, newHistogram, mergeHistogram, percentile, SLOT_MS } = require('./subscriber-clients');

const SUBSCRIPTION = 'subscription($a: ID!) { statisticChanged(activityId: $a) { value } }';
const INCREMENT = 'mutation($a: ID!) { incrementStatistic(input: { activityId: $a, indicator: SIGNATURES, by: 1 }) { value } }';
const BASE_PORT = 4800;
const BARE_PORT = 4850;
/** Subscriptions per sign-in (MAX_SUBSCRIPTIONS_PER_USER at most 10,000): N needs ceil(N / 10,000) viewers, one shared upstream each. */
const PER_VIEWER = 10_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const round = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
const log = (line) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);

function parseArgs(argv) {
  const opts = { subscribers: [], rate: 10, seconds: 20, rounds: 1, servers: ['cascade', 'bare'], gateways: 1, perClients: 5000, profile: null, out: '/tmp/cascade-bench/subscribers.jsonl' };
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith('--') && argv[i].includes('=') ? argv[i].split(/=(.*)/s) : [argv[i], undefined];
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (flag === '--subscribers') opts.subscribers = value().split(',').map(Number);
    else if (flag === '--rate') opts.rate = Number(value());
    else if (flag === '--seconds') opts.seconds = Number(value());
    else if (flag === '--rounds') opts.rounds = Number(value());
    else if (flag === '--servers') opts.servers = value().split(',');
    else if (flag === '--gateways') opts.gateways = Number(value());
    else if (flag === '--per-clients') opts.perClients = Number(value());
    else if (flag === '--profile') opts.profile = path.resolve(value());
    else if (flag === '--out') opts.out = value();
    else if (/^\d+$/.test(flag)) positional.push(Number(flag));
    else throw new Error(`unknown argument ${flag}`);
  }
  if (positional[0]) opts.subscribers = [positional[0]];
  if (positional[1]) opts.seconds = positional[1];
  if (!opts.subscribers.length) opts.subscribers = [1000];
  if (PER_VIEWER % opts.perClients) throw new Error(`--per-clients must divide ${PER_VIEWER} (each client process signs in as one viewer)`);
  return opts;
}

// --- /proc sampling -----------------------------------------------------------------------------
function cpuTicks(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}
function rssMb(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  } catch {
    return 0;
  }
}
function machineTicks() {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return { idle: line[3] + (line[4] || 0), total: line.reduce((a, b) => a + b, 0) };
}
/** CPU (% of one core) of each group of processes and of the machine, from now until `stop()`. */
function cpuMeter(groups) {
  const ticks = (pids) => pids.reduce((a, pid) => a + cpuTicks(pid), 0);
  const start = { t: now(), m: machineTicks(), g: Object.fromEntries(Object.entries(groups).map(([k, pids]) => [k, ticks(pids)])) };
  let peakRss = 0;
  const timer = setInterval(() => (peakRss = Math.max(peakRss, groups.server.reduce((a, pid) => a + rssMb(pid), 0))), 1000);
  return {
    stop() {
      clearInterval(timer);
      const seconds = (now() - start.t) / 1000;
      const m = machineTicks();
      const out = Object.fromEntries(Object.entries(groups).map(([k, pids]) => [k, round((ticks(pids) - start.g[k]) / 100 / seconds * 100, 0)]));
      out.machine = round((1 - (m.idle - start.m.idle) / Math.max(1, m.total - start.m.total)) * 100 * os.cpus().length, 0);
      out.serverPeakRssMb = round(peakRss, 0);
      return out;
    },
  };
}

// --- the servers --------------------------------------------------------------------------------
async function gql(url, query, variables, token) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = await res.json();
  if (body.errors?.length) throw new Error(`${body.errors[0].extensions?.code ?? 'ERROR'}: ${body.errors[0].message}`);
  return body.data;
}

/** One `next` frame exactly as the gateway sends it, with the value taken out. */
async function frameTemplate(wsUrl, token, activityId) {
  const ws = new WebSocket(wsUrl, 'graphql-transport-ws');
  const frame = await new Promise((resolve, reject) => {
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
    ws.on('message', (data) => {
      const text = String(data);
      if (text.includes('connection_ack')) ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION, variables: { a: activityId } } }));
      else if (text.includes('"next"')) resolve(text);
    });
    ws.on('error', reject);
  });
  ws.terminate();
  if (!/"value":\d+/.test(frame)) throw new Error(`unexpected frame ${frame}`);
  return frame.replace(/"value":\d+/, '"value":%VALUE%');
}

function startBare(template, processes, startValue) {
  const env = { ...process.env, PORT: String(BARE_PORT), FRAME_TEMPLATE: template, START_VALUE: String(startValue) };
  const script = path.join(__dirname, 'bare-ws.js');
  const child =
    processes > 1
      ? spawn(process.execPath, [path.join(__dirname, 'cluster-primary.js'), script, String(processes)], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
      : spawn(process.execPath, [script], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  process.on('exit', () => child.kill('SIGKILL'));
  const pids = processes > 1 ? new Promise((resolve) => child.on('message', (m) => m.type === 'workers' && resolve(m.pids))) : Promise.resolve([child.pid]);
  return { child, pids, url: `http://127.0.0.1:${BARE_PORT}/graphql` };
}

async function waitReady(url) {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await sleep(100);
  }
  throw new Error(`${url} not ready`);
}

// --- one phase: N sockets on one server, RATE events/s for SECONDS ----------------------------------
async function phase(server, n, opts, ctx) {
  const result = { server, subscribers: n, rate: opts.rate, seconds: opts.seconds, gateways: opts.gateways, loadAverage: os.loadavg().map((x) => round(x, 2)), date: new Date().toISOString() };
  const counts = [];
  for (let left = n; left > 0; left -= opts.perClients) counts.push(Math.min(left, opts.perClients));
  const clients = counts.map(() => startClients());
  try {
    const url = server === 'cascade' ? ctx.gatewayUrl : ctx.bare.url;
    // the sockets of client process k sign in as viewer ⌊k·perClients / 10,000⌋
    const initMessage = (k) => JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${ctx.viewerTokens[Math.floor((k * opts.perClients) / PER_VIEWER)]}` } });
    const subscribeMessage = JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION, variables: { a: ctx.activityId } } });
    const opening = now();
    const opened = [];
    for (const [k, c] of clients.entries()) {
      const { result: r } = await c.request({ cmd: 'open', count: counts[k], wsUrl: url.replace(/^http/, 'ws'), initMessage: initMessage(k), subscribeMessage, batch: 500, batchTimeoutMs: 30_000 }, 'opened');
      opened.push(r);
    }
    result.subscribed = opened.reduce((a, r) => a + r.ready, 0);
    result.connectFailed = opened.reduce((a, r) => a + r.failed, 0);
    result.connectFailures = opened.reduce((acc, r) => Object.assign(acc, r.failures), {});
    result.connectSeconds = round((now() - opening) / 1000);
    log(`${server} N=${n}: ${result.subscribed} subscribed in ${result.connectSeconds} s${result.connectFailed ? ` (${result.connectFailed} failed: ${JSON.stringify(result.connectFailures).slice(0, 300)})` : ''}`);
    await sleep(2000); // the first events (current state) settle

    const meter = cpuMeter({ server: server === 'cascade' ? ctx.gatewayPids : ctx.barePids, clients: clients.map((c) => c.child.pid) });
    const t0 = now() + 50;
    await Promise.all(clients.map((c) => c.request({ cmd: 'start', at: t0 }, 'started')));
    const total = Math.round(opts.seconds * opts.rate);
    const sent = {};
    const inflight = [];
    let errors = 0;
    for (let k = 0; k < total; k++) {
      const wait = t0 + (k * 1000) / opts.rate - now();
      if (wait > 0) await sleep(wait);
      const sentAt = now();
      if (server === 'cascade') {
        inflight.push(gql(ctx.gatewayUrl, INCREMENT, { a: ctx.activityId }, ctx.editorToken).then((d) => (sent[d.incrementStatistic.value] = sentAt), () => errors++));
      } else {
        ctx.bareValue++;
        sent[ctx.bareValue] = sentAt;
        ctx.bare.child.send({ cmd: 'event', value: ctx.bareValue });
      }
    }
    await Promise.all(inflight);
    const lastSent = now();
    const finalValue = Math.max(...Object.keys(sent).map(Number));
    await Promise.all(clients.map((c) => c.request({ cmd: 'final', value: finalValue }, 'finalSet')));
    // drain: until every subscriber shows the final value, or 20 s
    while (now() - lastSent < 20_000) {
      await sleep(250);
      if (clients.reduce((a, c) => a + c.progress.onFinal, 0) >= result.subscribed) break;
    }
    result.drainMs = Math.round(now() - lastSent);
    result.cpu = meter.stop();
    const finished = await Promise.all(clients.map((c) => c.request({ cmd: 'finish', sent, finalValue }, 'finished', 120_000).then((m) => m.result)));
    const h = newHistogram();
    for (const f of finished) mergeHistogram(h, f.histogram);
    const sum = (key) => finished.reduce((a, f) => a + f[key], 0);
    const windowSlots = Math.ceil((opts.seconds * 1000 + 1000) / SLOT_MS);
    const inWindow = finished.reduce((a, f) => a + f.slots.slice(0, windowSlots).reduce((x, y) => x + y, 0), 0);
    Object.assign(result, {
      events: { sent: total, answered: Object.keys(sent).length, errors },
      framesExpected: result.subscribed * Object.keys(sent).length,
      framesReceived: sum('frames'),
      // frames that arrived by 1 s after the last event was sent, per second of sending
      deliveredFramesPerSecond: Math.round(inWindow / opts.seconds),
      offeredFramesPerSecond: Math.round((result.subscribed * Object.keys(sent).length) / opts.seconds),
      latency: { p50Ms: percentile(h, 50), p90Ms: percentile(h, 90), p99Ms: percentile(h, 99), maxMs: round(h.max), samples: h.count },
      unseen: sum('unseen'),
      stale: sum('stale'),
      repeats: sum('repeats'),
      onFinal: sum('onFinal'),
      closesAfterSubscribed: finished.reduce((acc, f) => Object.assign(acc, f.closesAfterReady), {}),
      errorsAfterSubscribed: sum('errorsAfterReady'),
    });
    return result;
  } finally {
    await Promise.all(clients.map((c) => c.request({ cmd: 'close' }, 'closed', 60_000).catch(() => undefined)));
    for (const c of clients) c.child.kill('SIGTERM');
    await Promise.all(clients.map((c) => c.exited));
    await sleep(1000); // the server lets go of the closed sockets
  }
}

function line(r) {
  if (r.error) return `${r.server} N=${r.subscribers}: ERROR ${r.error}`;
  return (
    `${r.server.padEnd(7)} N=${r.subscribers} × ${r.rate}/s: ${r.deliveredFramesPerSecond} frames/s delivered (offered ${r.offeredFramesPerSecond})` +
    `${r.ratio !== undefined ? `, ${r.ratio} of bare` : ''}; p50 ${r.latency.p50Ms} ms p99 ${r.latency.p99Ms} ms max ${r.latency.maxMs} ms; ` +
    `unseen ${r.unseen}, stale ${r.stale}, repeats ${r.repeats}, on final ${r.onFinal}/${r.subscribed}; ` +
    `CPU server ${r.cpu.server} % clients ${r.cpu.clients} % machine ${r.cpu.machine} %; load ${r.loadAverage.join(' ')}`
  );
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  fs.mkdirSync(path.dirname(opts.out), { recursive: true });
  if (opts.profile) fs.mkdirSync(opts.profile, { recursive: true });
  log(`machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}; load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  // every subscriber comes from 127.0.0.1 and shares a few sign-ins: the per-address and
  // per-user caps raised to their configurable maximum (10,000 subscriptions per user)
  const env = { MAX_PENDING_SOCKETS_PER_ADDRESS: '10000', MAX_SUBSCRIPTIONS_PER_USER: String(PER_VIEWER) };
  const cluster = await startCluster({ name: 'subs', basePort: BASE_PORT, redis: true, gateways: opts.gateways, cpuProfDir: opts.profile, env });
  const results = [];
  let bare = null;
  try {
    const t = { gql: new GraphQLClient(cluster.gatewayUrl), platform: { gateway: { url: cluster.gatewayUrl } } };
    t.root = await t.gql.signIn('root@bench.test', 'bench-root-password');
    const { editor, activityId, nation } = await venue(t);
    await editor.run(INCREMENT, { a: activityId });
    const viewer = await t.gql.signIn('national@bench.test', 'bench-password');
    const viewerTokens = [viewer.token];
    const most = Math.max(...opts.subscribers);
    for (let k = 1; k < Math.ceil(most / PER_VIEWER); k++) {
      const email = `national${k}@bench.test`;
      await t.root.run('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', { i: { tenantId: nation, email, name: `全国${k}`, password: 'bench-password', role: 'VIEWER' } });
      viewerTokens.push((await t.gql.signIn(email, 'bench-password')).token);
    }
    const template = await frameTemplate(cluster.gatewayUrl.replace(/^http/, 'ws'), viewer.token, activityId);
    log(`frame: ${template}`);
    bare = startBare(template, opts.gateways, 1);
    await waitReady(bare.url.replace('/graphql', '/healthz'));
    const ctx = { gatewayUrl: cluster.gatewayUrl, gatewayPids: cluster.gatewayPids, bare, barePids: await bare.pids, bareValue: 1, activityId, viewerTokens, editorToken: editor.token };
    for (const n of opts.subscribers) {
      for (let r = 0; r < opts.rounds; r++) {
        const order = r % 2 ? [...opts.servers].reverse() : opts.servers;
        const byServer = {};
        for (const server of order) {
          const result = await phase(server, n, opts, ctx).catch((err) => ({ server, subscribers: n, error: String(err.stack ?? err) }));
          result.round = r + 1;
          byServer[server] = result;
          results.push(result);
        }
        const { cascade, bare: limit } = byServer;
        if (cascade && limit && !cascade.error && !limit.error) cascade.ratio = round(cascade.deliveredFramesPerSecond / limit.deliveredFramesPerSecond, 2);
        for (const server of order) {
          fs.appendFileSync(opts.out, JSON.stringify(byServer[server]) + '\n');
          process.stdout.write(`round ${r + 1}: ${line(byServer[server])}\n`);
        }
      }
    }
  } finally {
    bare?.child.kill('SIGTERM');
    await cluster.stop();
  }
  if (opts.profile) process.stdout.write(`profiles: ${fs.readdirSync(opts.profile).map((f) => path.join(opts.profile, f)).join(' ')}\n`);
  process.stdout.write(`results: ${opts.out}\n`);
  process.exit(0);
}

main().catch((err) => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exit(1);
});
