#!/usr/bin/env node
'use strict';
/**
 * Subscriber fan-out benchmark (issue 4, item 8).
 *
 * For each N: a fresh platform child (`node app/dist/embedded.js`: gateway and every subgraph in
 * one process, fresh DATA_DIR under /tmp, SQLite, or MariaDB when DATABASE_URL is set), N raw
 * graphql-ws subscribers on one activity with one token (so they share one upstream
 * subscription), then RATE increments per second for DURATION seconds over HTTP. Reports
 * delivery latency (increment sent -> event received) p50/p99 over all subscribers x events,
 * lost events, the platform process's peak RSS and mean CPU, and the load generator's CPU.
 *
 *   npx tsc -b
 *   ulimit -n $(ulimit -Hn)                       # each socket is a file descriptor
 *   node bench/subscribers-fanout.js                     # N = 1000 5000 10000 20000, 60 s each, stops after the first that breaks
 *   node bench/subscribers-fanout.js 1000 --duration 10  # one short trial
 *
 * Options: N... (positional), --duration S (60), --rate R (10 increments/s), --batch B (500
 * sockets opened at a time), --per-worker W (5000 sockets per load-generator process),
 * --keep-going (run every N even after one breaks), --out FILE (JSON lines, default
 * /tmp/cascade-bench/subscribers.jsonl), --cpu-prof (the platform writes a V8 CPU profile into
 * its DATA_DIR on exit). Env N and DURATION work too.
 *
 * The load generator runs in ceil(N / W) forked worker processes (the per-process open-file
 * limit is 20000 on this machine) that share the machine's cores with the platform.
 */
const { fork, spawn, execSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');

const ROOT = path.resolve(__dirname, '..');
const ADMIN = { email: 'admin@bashi.demo', password: 'cascade-demo' }; // 第八师石河子市 admin
const SUBSCRIPTION = 'subscription($a: ID!) { statisticChanged(activityId: $a) { value } }';
const INCREMENT = 'mutation($a: ID!) { incrementStatistic(input: { activityId: $a, indicator: SIGNATURES, by: 1 }) { value } }';

/** Monotonic milliseconds (CLOCK_MONOTONIC: the same clock in every process of the machine). */
function now() {
  const t = process.hrtime();
  return t[0] * 1e3 + t[1] / 1e6;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Latency histogram: 0.1 ms buckets below 10 s, 10 ms buckets up to 120 s (then capped).
const FINE = 100_000;
const COARSE = 12_000;
function newHistogram() {
  return { fine: new Uint32Array(FINE), coarse: new Uint32Array(COARSE), count: 0, sum: 0, max: 0 };
}
function addLatency(h, ms) {
  if (ms < 0) ms = 0;
  if (ms < 10_000) h.fine[Math.floor(ms * 10)]++;
  else h.coarse[Math.min(COARSE - 1, Math.floor(ms / 10))]++;
  h.count++;
  h.sum += ms;
  if (ms > h.max) h.max = ms;
}
function packHistogram(h) {
  const fine = [];
  const coarse = [];
  for (let i = 0; i < FINE; i++) if (h.fine[i]) fine.push(i, h.fine[i]);
  for (let i = 0; i < COARSE; i++) if (h.coarse[i]) coarse.push(i, h.coarse[i]);
  return { fine, coarse, count: h.count, sum: h.sum, max: h.max };
}
function mergeHistogram(into, packed) {
  for (let i = 0; i < packed.fine.length; i += 2) into.fine[packed.fine[i]] += packed.fine[i + 1];
  for (let i = 0; i < packed.coarse.length; i += 2) into.coarse[packed.coarse[i]] += packed.coarse[i + 1];
  into.count += packed.count;
  into.sum += packed.sum;
  into.max = Math.max(into.max, packed.max);
}
function percentile(h, p) {
  if (!h.count) return null;
  const rank = Math.ceil((p / 100) * h.count);
  let seen = 0;
  for (let i = 0; i < FINE; i++) {
    seen += h.fine[i];
    if (seen >= rank) return (i + 1) / 10; // upper edge of the bucket
  }
  for (let i = 0; i < COARSE; i++) {
    seen += h.coarse[i];
    if (seen >= rank) return (i + 1) * 10;
  }
  return h.max;
}

// ---------------------------------------------------------------------------------------------
// Worker: opens its share of the sockets, records arrivals, computes latencies at the end.
function worker() {
  const WebSocket = require('ws');
  const VALUE = Buffer.from('"value":');
  const NEXT = Buffer.from('"type":"next"');
  let cfg = null;
  let sockets = [];
  let ready; // Uint8Array: 1 once the first event (the current value) arrived
  let readyCount = 0;
  let failed = 0;
  const failures = {}; // reason -> count
  const closesAfterReady = {}; // code -> count
  let baseline = 0;
  let received = 0; // distinct values seen, over all subscribers
  let events = 0; // `next` messages after the first, over all subscribers
  let duplicates = 0;
  let stale = 0;
  let errorsAfterReady = 0;
  const arrivals = new Map(); // value -> Float64Array(count) of arrival times (0 = not yet)
  let settle = null; // called when a socket of the current batch settles

  const note = (map, key) => (map[key] = (map[key] || 0) + 1);

  function onValue(i, value, t) {
    if (!ready[i]) {
      ready[i] = 1;
      readyCount++;
      if (value > baseline) baseline = value;
      if (settle) settle();
      return;
    }
    events++;
    if (value <= baseline) {
      stale++;
      return;
    }
    let times = arrivals.get(value);
    if (!times) {
      times = new Float64Array(cfg.count);
      arrivals.set(value, times);
    }
    if (times[i] !== 0) duplicates++;
    else {
      times[i] = t;
      received++;
    }
  }

  function open(i) {
    let settled = false;
    const fail = (reason) => {
      if (settled || ready[i]) return;
      settled = true;
      failed++;
      note(failures, reason);
      if (settle) settle();
    };
    const ws = new WebSocket(cfg.wsUrl, 'graphql-transport-ws', { perMessageDeflate: false, skipUTF8Validation: true });
    sockets[i] = ws;
    ws.on('open', () => ws.send(cfg.initMessage));
    ws.on('message', (buf) => {
      const t = now();
      // fast path: a `next` carrying the value; parse nothing but the digits
      const at = buf.indexOf(VALUE);
      if (at !== -1 && buf.indexOf(NEXT) !== -1) {
        let v = 0;
        for (let k = at + VALUE.length; k < buf.length; k++) {
          const c = buf[k];
          if (c < 48 || c > 57) break;
          v = v * 10 + (c - 48);
        }
        onValue(i, v, t);
        return;
      }
      let message;
      try {
        message = JSON.parse(buf.toString());
      } catch {
        return;
      }
      if (message.type === 'connection_ack') ws.send(cfg.subscribeMessage);
      else if (message.type === 'error' || (message.type === 'next' && message.payload && message.payload.errors)) {
        if (ready[i]) errorsAfterReady++;
        else fail(`subscription error: ${JSON.stringify(message.payload).slice(0, 160)}`);
      } else if (message.type === 'complete') {
        if (!ready[i]) fail('completed before the first event');
      }
    });
    ws.on('error', (err) => fail(`socket error: ${err.code || err.message}`));
    ws.on('close', (code, reason) => {
      if (ready[i]) note(closesAfterReady, `${code} ${String(reason)}`.trim());
      else fail(`closed before the first event: ${code} ${String(reason)}`.trim());
    });
  }

  async function openAll() {
    const started = now();
    const batchTimes = [];
    for (let from = 0; from < cfg.count; from += cfg.batch) {
      const to = Math.min(cfg.count, from + cfg.batch);
      const batchStarted = now();
      const settledCount = () => {
        let n = 0;
        for (let i = from; i < to; i++) if (ready[i]) n++;
        return n;
      };
      const failedBefore = failed;
      await new Promise((resolve) => {
        const timer = setTimeout(done, cfg.batchTimeoutMs);
        function done() {
          clearTimeout(timer);
          settle = null;
          resolve();
        }
        settle = () => {
          if (settledCount() + (failed - failedBefore) >= to - from) done();
        };
        for (let i = from; i < to; i++) open(i);
      });
      batchTimes.push(Math.round(now() - batchStarted));
    }
    let pending = 0;
    for (let i = 0; i < cfg.count; i++) if (!ready[i]) pending++;
    return { ready: readyCount, failed, pending: pending - failed, failures, ms: Math.round(now() - started), batchTimes };
  }

  /**
   * Latency of increment k at subscriber i: the first arrival of any value >= v_k minus the
   * send time of k. An event's `value` is resolved when the event is processed, so two
   * increments close together can both show the later value ("superseded"); the increment is
   * still visible at that moment. An increment whose value (or a later one) never arrives at a
   * subscriber is lost for it.
   */
  function finish(sent) {
    const h = newHistogram();
    const values = Object.keys(sent).map(Number).sort((a, b) => a - b);
    const seen = [...arrivals.keys()].sort((a, b) => a - b);
    let invisible = 0;
    let superseded = 0;
    for (let i = 0; i < cfg.count; i++) {
      if (!ready[i]) {
        invisible += values.length;
        continue;
      }
      // walk values downwards, keeping the earliest arrival of any value >= v
      let earliest = Infinity;
      let s = seen.length - 1;
      for (let k = values.length - 1; k >= 0; k--) {
        const v = values[k];
        while (s >= 0 && seen[s] >= v) {
          const t = arrivals.get(seen[s])[i];
          if (t !== 0 && t < earliest) earliest = t;
          s--;
        }
        if (earliest === Infinity) invisible++;
        else {
          const own = arrivals.get(v);
          if (!own || own[i] === 0) superseded++;
          addLatency(h, earliest - sent[v]);
        }
      }
    }
    let stillOpen = 0;
    for (const ws of sockets) if (ws && ws.readyState === WebSocket.OPEN) stillOpen++;
    return {
      histogram: packHistogram(h),
      events,
      received,
      invisible,
      superseded,
      duplicates,
      stale,
      ready: readyCount,
      failed,
      failures,
      closesAfterReady,
      errorsAfterReady,
      stillOpen,
    };
  }

  let progressTimer = null;
  process.on('message', async (msg) => {
    if (msg.cmd === 'init') {
      cfg = msg;
      ready = new Uint8Array(cfg.count);
      sockets = new Array(cfg.count);
      process.send({ type: 'inited' });
    } else if (msg.cmd === 'open') {
      const result = await openAll();
      process.send({ type: 'opened', result });
      progressTimer = setInterval(() => process.send({ type: 'progress', events, received, ready: readyCount }), 500);
    } else if (msg.cmd === 'finish') {
      clearInterval(progressTimer);
      process.send({ type: 'finished', result: finish(msg.sent) });
    } else if (msg.cmd === 'exit') {
      for (const ws of sockets) ws && ws.terminate();
      setTimeout(() => process.exit(0), 200);
    }
  });
  process.on('disconnect', () => process.exit(0));
}

// ---------------------------------------------------------------------------------------------
// Orchestrator.
function parseArgs(argv) {
  const opts = {
    ns: [],
    duration: Number(process.env.DURATION || 60),
    rate: 10,
    batch: 500,
    perWorker: 5000,
    keepGoing: false,
    out: '/tmp/cascade-bench/subscribers.jsonl',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? a.split(/=(.*)/s) : [a, undefined];
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (flag === '--duration') opts.duration = Number(value());
    else if (flag === '--rate') opts.rate = Number(value());
    else if (flag === '--batch') opts.batch = Number(value());
    else if (flag === '--per-worker') opts.perWorker = Number(value());
    else if (flag === '--keep-going') opts.keepGoing = true;
    else if (flag === '--cpu-prof') opts.cpuProf = true;
    else if (flag === '--out') opts.out = value();
    else if (/^\d[\d_,]*$/.test(a)) opts.ns.push(Number(a.replace(/[_,]/g, '')));
    else throw new Error(`unknown argument ${a}`);
  }
  if (!opts.ns.length) opts.ns = process.env.N ? process.env.N.split(/[ ,]+/).map(Number) : [1000, 5000, 10000, 20000];
  for (const [k, v] of Object.entries(opts)) if (typeof v === 'number' && !(v > 0)) throw new Error(`bad ${k}: ${v}`);
  return opts;
}

const log = (line) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);

async function gql(url, query, variables, token) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors && body.errors.length) {
    const e = body.errors[0];
    throw new Error(`${(e.extensions && e.extensions.code) || 'ERROR'}: ${e.message}`);
  }
  return body.data;
}

/** The platform child: resolves with its URL once it printed "GraphQL endpoint". */
function startPlatform(dataDir, opts = {}) {
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    DEMO_DATA: 'true',
    LOG_LEVEL: 'warn',
    PORT: '0',
    SUBGRAPH_PORTS: '0',
  };
  const child = spawn(process.execPath, [...(opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${dataDir}`] : []), path.join(ROOT, 'app/dist/embedded.js')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const logFile = fs.createWriteStream(path.join(dataDir, 'platform.log'));
  let stderrTail = '';
  child.stderr.on('data', (d) => {
    logFile.write(d);
    stderrTail = (stderrTail + d).slice(-4000);
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the platform did not start within 180 s')), 180_000);
    child.stdout.on('data', (d) => {
      logFile.write(d);
      if (out === null) return;
      out += d;
      const m = out.match(/GraphQL endpoint\s+(\S+)/);
      if (m && /demo sign-ins:|\n\n/.test(out.slice(m.index))) {
        clearTimeout(timer);
        out = null;
        resolve(m[1].replace('localhost', '127.0.0.1'));
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the platform exited (${code ?? signal}) before it was ready: ${stderrTail.slice(-600)}`));
    });
  });
  return { child, ready, exited, stderrTail: () => stderrTail };
}

/** Per-second samples of a process: RSS (kB) and CPU ticks. */
const CLK_TCK = (() => {
  try {
    return Number(execSync('getconf CLK_TCK').toString().trim()) || 100;
  } catch {
    return 100;
  }
})();
function procSample(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14 and 15)
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = Number((status.match(/VmRSS:\s+(\d+)/) || [])[1] || 0);
    return { ticks, rss };
  } catch {
    return null;
  }
}
function fdCount(pid) {
  try {
    return fs.readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return null;
  }
}
function machineTicks() {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = line[3] + (line[4] || 0);
  const total = line.reduce((a, b) => a + b, 0);
  return { idle, total };
}

function startSampler(getPids) {
  const samples = [];
  let phase = 'start';
  let last = null;
  const tick = () => {
    const t = now();
    const pids = getPids();
    const gw = procSample(pids.platform);
    const gens = pids.generators.map(procSample).filter(Boolean);
    const m = machineTicks();
    const current = { t, gw, genTicks: gens.reduce((a, g) => a + g.ticks, 0), genRss: gens.reduce((a, g) => a + g.rss, 0), m, nGens: gens.length };
    if (last && gw && last.gw) {
      const dt = (t - last.t) / 1000;
      samples.push({
        phase,
        rssKb: gw.rss,
        cpu: ((gw.ticks - last.gw.ticks) / CLK_TCK / dt) * 100,
        genCpu: current.nGens === last.nGens ? ((current.genTicks - last.genTicks) / CLK_TCK / dt) * 100 : null,
        genRssKb: current.genRss,
        machineCpu: (1 - (m.idle - last.m.idle) / Math.max(1, m.total - last.m.total)) * 100 * os.cpus().length,
        fds: fdCount(pids.platform),
      });
    } else if (gw) samples.push({ phase, rssKb: gw.rss, cpu: null, genCpu: null, genRssKb: current.genRss, machineCpu: null, fds: fdCount(pids.platform) });
    last = current;
  };
  tick();
  const timer = setInterval(tick, 1000);
  return {
    samples,
    setPhase(p) {
      phase = p;
    },
    stop() {
      clearInterval(timer);
      tick();
    },
  };
}

const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const round = (x, d = 1) => (x === null || x === undefined ? null : Math.round(x * 10 ** d) / 10 ** d);

async function runTrial(N, opts) {
  const result = { n: N, duration: opts.duration, rate: opts.rate, date: new Date().toISOString() };
  const startLoad = os.loadavg().map((x) => round(x, 2));
  fs.mkdirSync('/tmp/cascade-bench', { recursive: true });
  const dataDir = fs.mkdtempSync(`/tmp/cascade-bench/n${N}-`);
  result.dataDir = dataDir;
  log(`N=${N}: starting the platform (DATA_DIR=${dataDir}, ${process.env.DATABASE_URL ? 'MariaDB/MySQL' : 'SQLite'})`);
  const platform = startPlatform(dataDir, opts);
  const workers = [];
  let sampler = null;
  let platformDied = null;
  platform.exited.then((e) => (platformDied = e));
  try {
    const url = await platform.ready;
    result.platformPid = platform.child.pid;
    log(`N=${N}: platform pid ${platform.child.pid} at ${url}`);

    // the activity: a dedicated one of 第八师石河子市, so SIGNATURES is its only statistic
    // (the selection is `{ value }` alone, which cannot tell indicators apart)
    const token = (await gql(url, 'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }', { e: ADMIN.email, p: ADMIN.password })).signIn.token;
    const campaign = (await gql(url, 'mutation { createCampaign(input: { title: "扇出基准测试", startsOn: "2024-04-20", endsOn: "2024-04-26" }) { id } }', {}, token)).createCampaign.id;
    const activity = (
      await gql(url, 'mutation($c: ID!) { createActivity(input: { campaignId: $c, title: "扇出基准测试开幕式", kind: OPENING_CEREMONY, startsAt: "2024-04-20T01:00:00Z" }) { id } }', { c: campaign }, token)
    ).createActivity.id;
    // one increment first, so every subscriber's first event (the current value) proves it is subscribed
    const baseline = (await gql(url, INCREMENT, { a: activity }, token)).incrementStatistic.value;
    result.activityId = activity;

    sampler = startSampler(() => ({ platform: platform.child.pid, generators: [process.pid, ...workers.map((w) => w.child.pid)] }));
    sampler.setPhase('connect');

    // the load generator: ceil(N / perWorker) processes, opened one after another in batches
    const counts = [];
    for (let left = N; left > 0; left -= opts.perWorker) counts.push(Math.min(left, opts.perWorker));
    for (const count of counts) {
      const child = fork(__filename, ['--worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
      const w = { child, count, waiters: new Map(), progress: { events: 0, received: 0, ready: 0 } };
      child.on('message', (m) => {
        if (m.type === 'progress') w.progress = m;
        const waiter = w.waiters.get(m.type);
        if (waiter) {
          w.waiters.delete(m.type);
          waiter(m);
        }
      });
      w.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
      w.request = (msg, reply, ms = 600_000) =>
        Promise.race([
          new Promise((resolve) => {
            w.waiters.set(reply, resolve);
            child.send(msg);
          }),
          w.exited.then((e) => {
            throw new Error(`a load-generator worker exited (${e.code ?? e.signal})`);
          }),
          sleep(ms).then(() => {
            throw new Error(`a load-generator worker did not answer ${msg.cmd} within ${ms} ms`);
          }),
        ]);
      workers.push(w);
    }
    const wsUrl = url.replace(/^http/, 'ws');
    const initMessage = JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
    const subscribeMessage = JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION, variables: { a: activity } } });
    await Promise.all(workers.map((w) => w.request({ cmd: 'init', count: w.count, wsUrl, initMessage, subscribeMessage, batch: opts.batch, batchTimeoutMs: 30_000 }, 'inited')));

    const connectStarted = now();
    const opened = [];
    for (const w of workers) {
      const { result: r } = await w.request({ cmd: 'open' }, 'opened');
      opened.push(r);
      log(`N=${N}: worker ${opened.length}/${workers.length}: ${r.ready}/${w.count} subscribed in ${r.ms} ms${r.failed ? `, ${r.failed} failed: ${JSON.stringify(r.failures)}` : ''}${r.pending ? `, ${r.pending} still pending` : ''}`);
      if (platformDied) throw new Error(`the platform exited during the connect phase (${platformDied.code ?? platformDied.signal}): ${platform.stderrTail().slice(-800)}`);
    }
    result.connect = {
      ms: Math.round(now() - connectStarted),
      subscribed: opened.reduce((a, r) => a + r.ready, 0),
      failed: opened.reduce((a, r) => a + r.failed, 0),
      pending: opened.reduce((a, r) => a + r.pending, 0),
      failures: opened.reduce((acc, r) => {
        for (const [k, v] of Object.entries(r.failures)) acc[k] = (acc[k] || 0) + v;
        return acc;
      }, {}),
      slowestBatchMs: Math.max(...opened.flatMap((r) => r.batchTimes)),
    };
    await sleep(2000);
    result.rssAfterConnectMb = round((procSample(platform.child.pid) || { rss: 0 }).rss / 1024);
    result.fdsAfterConnect = fdCount(platform.child.pid);

    // increments: open loop, RATE per second, each one's send time kept by the value it produced
    sampler.setPhase('increments');
    const total = Math.round(opts.duration * opts.rate);
    const sent = {};
    const mutationMs = [];
    let mutationErrors = 0;
    const mutationErrorKinds = {};
    let maxInFlight = 0;
    let inFlight = 0;
    const inflight = [];
    const t0 = now();
    log(`N=${N}: ${result.connect.subscribed} subscribed; sending ${total} increments (${opts.rate}/s for ${opts.duration} s)`);
    for (let k = 0; k < total; k++) {
      const due = t0 + (k * 1000) / opts.rate;
      const wait = due - now();
      if (wait > 0) await sleep(wait);
      const sentAt = now();
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      inflight.push(
        gql(url, INCREMENT, { a: activity }, token).then(
          (data) => {
            inFlight--;
            mutationMs.push(now() - sentAt);
            sent[data.incrementStatistic.value] = sentAt;
          },
          (err) => {
            inFlight--;
            mutationErrors++;
            const kind = String(err.message).slice(0, 120);
            mutationErrorKinds[kind] = (mutationErrorKinds[kind] || 0) + 1;
          },
        ),
      );
      if (platformDied) break;
    }
    await Promise.all(inflight);
    const incrementsEnded = now();
    result.sendSeconds = round((incrementsEnded - t0) / 1000, 2);
    const succeeded = Object.keys(sent).length;
    const subscribed = result.connect.subscribed;

    // drain: until every subscriber has every value, or 20 s after the last increment
    sampler.setPhase('drain');
    const expectedFromSubscribed = subscribed * succeeded;
    while (now() - incrementsEnded < 20_000) {
      const got = workers.reduce((a, w) => a + (w.progress.events || 0), 0);
      if (got >= expectedFromSubscribed) break;
      await sleep(250);
    }
    result.drainMs = Math.round(now() - incrementsEnded);
    sampler.stop();

    const finished = await Promise.all(workers.map((w) => w.request({ cmd: 'finish', sent }, 'finished', 120_000).then((m) => m.result)));
    const h = newHistogram();
    for (const f of finished) mergeHistogram(h, f.histogram);
    const sum = (key) => finished.reduce((a, f) => a + f[key], 0);
    const mergeMaps = (key) =>
      finished.reduce((acc, f) => {
        for (const [k, v] of Object.entries(f[key])) acc[k] = (acc[k] || 0) + v;
        return acc;
      }, {});
    const eventsReceived = sum('events');
    const inc = sampler.samples.filter((s) => s.phase === 'increments' && s.cpu !== null);
    const sortedMut = mutationMs.slice().sort((a, b) => a - b);
    Object.assign(result, {
      increments: { sent: total, succeeded, errors: mutationErrors, errorKinds: mutationErrorKinds, maxInFlight, p50Ms: round(sortedMut[Math.floor(sortedMut.length * 0.5)]), p99Ms: round(sortedMut[Math.min(sortedMut.length - 1, Math.floor(sortedMut.length * 0.99))]) },
      latency: { p50Ms: percentile(h, 50), p90Ms: percentile(h, 90), p99Ms: percentile(h, 99), maxMs: round(h.max), meanMs: h.count ? round(h.sum / h.count) : null, samples: h.count },
      expected: N * succeeded,
      received: eventsReceived,
      lost: N * succeeded - eventsReceived,
      lostOfSubscribed: expectedFromSubscribed - eventsReceived,
      incrementsNeverSeen: sum('invisible'),
      supersededValues: sum('superseded'),
      duplicateValues: sum('duplicates'),
      staleEvents: sum('stale'),
      closesAfterSubscribed: mergeMaps('closesAfterReady'),
      errorsAfterSubscribed: sum('errorsAfterReady'),
      stillOpenAtEnd: sum('stillOpen'),
      platform: {
        peakRssMb: round(Math.max(...sampler.samples.map((s) => s.rssKb)) / 1024),
        meanCpuPct: round(mean(inc.map((s) => s.cpu))),
        maxCpuPct: round(Math.max(...inc.map((s) => s.cpu))),
        connectPhaseMeanCpuPct: round(mean(sampler.samples.filter((s) => s.phase === 'connect' && s.cpu !== null).map((s) => s.cpu))),
        peakFds: Math.max(...sampler.samples.map((s) => s.fds || 0)),
        diedWith: platformDied,
      },
      loadGenerator: {
        processes: workers.length,
        meanCpuPct: round(mean(inc.filter((s) => s.genCpu !== null).map((s) => s.genCpu))),
        peakRssMb: round(Math.max(...sampler.samples.map((s) => s.genRssKb)) / 1024),
      },
      machineMeanCpuPct: round(mean(inc.filter((s) => s.machineCpu !== null).map((s) => s.machineCpu))),
      // CPU used on the machine by neither the platform nor the load generator (other people's work)
      otherMeanCpuPct: round(mean(inc.filter((s) => s.machineCpu !== null && s.genCpu !== null).map((s) => Math.max(0, s.machineCpu - s.cpu - s.genCpu)))),
      loadAverageAtStart: startLoad,
      cpuSamples: inc.map((s) => round(s.cpu, 0)),
    });
  } catch (err) {
    result.error = String(err && err.message ? err.message : err);
    if (sampler) {
      sampler.stop();
      result.platform = {
        peakRssMb: round(Math.max(0, ...sampler.samples.map((s) => s.rssKb)) / 1024),
        peakFds: Math.max(0, ...sampler.samples.map((s) => s.fds || 0)),
        diedWith: platformDied,
      };
    }
    if (platformDied) result.platformStderr = platform.stderrTail().slice(-1500);
  } finally {
    for (const w of workers) {
      try {
        w.child.send({ cmd: 'exit' });
      } catch {}
    }
    await Promise.race([Promise.all(workers.map((w) => w.exited)), sleep(10_000)]);
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    if (platform.child.exitCode === null && platform.child.signalCode === null) {
      platform.child.kill('SIGTERM');
      const stopped = await Promise.race([platform.exited.then(() => true), sleep(15_000).then(() => false)]);
      if (!stopped) platform.child.kill('SIGKILL');
    }
  }
  result.broke = verdict(result);
  return result;
}

/** What failed the goal (p99 < 1 s, no loss, every subscriber connected), or [] when nothing did. */
function verdict(r) {
  const broke = [];
  if (r.error) broke.push(`error: ${r.error}`);
  if (r.connect && (r.connect.failed || r.connect.pending)) broke.push(`connections: ${r.connect.failed} failed, ${r.connect.pending} pending (${JSON.stringify(r.connect.failures)})`);
  if (r.increments && r.increments.errors) broke.push(`increments: ${r.increments.errors} failed`);
  if (r.lost > 0) broke.push(`lost ${r.lost} of ${r.expected} events`);
  if (r.incrementsNeverSeen > 0) broke.push(`${r.incrementsNeverSeen} (subscriber, increment) pairs never saw the increment`);
  if (r.latency && r.latency.p99Ms !== null && r.latency.p99Ms >= 1000) broke.push(`p99 ${r.latency.p99Ms} ms >= 1 s`);
  return broke;
}

function summary(r) {
  const lines = [`N=${r.n}: ${r.broke.length ? `BROKE: ${r.broke.join('; ')}` : 'OK (p99 < 1 s, no loss)'}`];
  if (r.latency)
    lines.push(
      `  latency p50 ${r.latency.p50Ms} ms, p90 ${r.latency.p90Ms} ms, p99 ${r.latency.p99Ms} ms, max ${r.latency.maxMs} ms over ${r.latency.samples} deliveries`,
      `  events lost ${r.lost} of ${r.expected} (of subscribed: ${r.lostOfSubscribed}); increments never seen ${r.incrementsNeverSeen}; superseded values ${r.supersededValues}; connect ${r.connect.subscribed}/${r.n} in ${r.connect.ms} ms`,
      `  platform pid ${r.platformPid}: peak RSS ${r.platform.peakRssMb} MB, mean CPU ${r.platform.meanCpuPct} % (max ${r.platform.maxCpuPct} %), connect-phase CPU ${r.platform.connectPhaseMeanCpuPct} %`,
      `  load generator (${r.loadGenerator.processes} proc): mean CPU ${r.loadGenerator.meanCpuPct} %, machine ${r.machineMeanCpuPct} % of ${os.cpus().length * 100} % (others ${r.otherMeanCpuPct} %; load average at start ${r.loadAverageAtStart.join(' ')})`,
      `  increments ${r.increments.succeeded}/${r.increments.sent} in ${r.sendSeconds} s, HTTP p50 ${r.increments.p50Ms} ms p99 ${r.increments.p99Ms} ms, max in flight ${r.increments.maxInFlight}`,
    );
  return lines.join('\n');
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(path.join(ROOT, 'app/dist/embedded.js'))) throw new Error('app/dist/embedded.js is missing: run `npx tsc -b` first');
  log(`machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}; N = ${opts.ns.join(', ')}; ${opts.duration} s at ${opts.rate}/s`);
  fs.mkdirSync(path.dirname(opts.out), { recursive: true });
  const results = [];
  for (const n of opts.ns) {
    const r = await runTrial(n, opts);
    results.push(r);
    fs.appendFileSync(opts.out, JSON.stringify(r) + '\n');
    process.stdout.write(summary(r) + '\n');
    if (r.broke.length && !opts.keepGoing) {
      process.stdout.write(`stopping: N=${n} broke first (${r.broke.join('; ')})\n`);
      break;
    }
  }
  process.stdout.write(`results: ${opts.out}\n`);
}

if (process.argv[2] === '--worker') worker();
else
  main().catch((err) => {
    process.stderr.write(`${err.stack || err}\n`);
    process.exit(1);
  });
