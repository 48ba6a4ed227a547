'use strict';
/**
 * The subscribers of bench/subscribers.js: a forked process holding its share of the graphql-ws
 * sockets (the per-process open-file limit is 20,000 here, and one process cannot parse 50,000
 * frames/s beside the server on 2 cores). It reads each `next` frame's value from its bytes and
 * keeps, per subscriber, when each value arrived, so the orchestrator can tell for every
 * (subscriber, value sent): the latency to the first arrival of that value or a later one, a
 * value never seen, a value older than one already shown (stale), a value shown twice, and the
 * value each subscriber ends on. The same sockets code talks to Cascade and to the bare server.
 *
 *   const clients = startClients({ count, index }) → { request(msg, replyType), exited, child }
 */
const { fork } = require('node:child_process');

/** Monotonic milliseconds (CLOCK_MONOTONIC: the same clock in every process of the machine). */
function now() {
  const t = process.hrtime();
  return t[0] * 1e3 + t[1] / 1e6;
}

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

/** Frames received per 100 ms slot after the phase's start (for delivered frames/s in a window). */
const SLOT_MS = 100;

function worker() {
  const WebSocket = require('ws');
  const VALUE = Buffer.from('"value":');
  const NEXT = Buffer.from('"type":"next"');
  let cfg = null;
  let sockets = [];
  let ready; // Uint8Array: 1 once the first event (the current value) arrived
  let last; // Float64Array: the last value each subscriber shows (-1: none yet)
  let readyCount = 0;
  let failed = 0;
  let failures = {};
  let closesAfterReady = {};
  let frames = 0; // `next` frames after the first, over all subscribers
  let repeats = 0; // a value equal to the one the subscriber already shows
  let stale = 0; // a value older than the one the subscriber already shows
  let errorsAfterReady = 0;
  let arrivals = new Map(); // value -> Float64Array(count) of first arrival times (0 = not yet)
  let slots = []; // frames per SLOT_MS since phaseStart
  let phaseStart = 0;
  let sample = null; // one `next` frame as received (the bare server sends the same bytes)
  let settle = null;

  const note = (map, key) => (map[key] = (map[key] || 0) + 1);

  function onValue(i, value, t) {
    if (!ready[i]) {
      ready[i] = 1;
      readyCount++;
      last[i] = value;
      if (settle) settle();
      return;
    }
    frames++;
    if (phaseStart) {
      const slot = Math.floor((t - phaseStart) / SLOT_MS);
      if (slot >= 0) slots[slot] = (slots[slot] || 0) + 1;
    }
    if (value < last[i]) stale++;
    else if (value === last[i]) repeats++;
    else last[i] = value;
    let times = arrivals.get(value);
    if (!times) {
      times = new Float64Array(cfg.count);
      arrivals.set(value, times);
    }
    if (times[i] === 0) times[i] = t;
  }

  function open(i) {
    const fail = (reason) => {
      if (ready[i] || sockets[i] === null) return;
      sockets[i] = null;
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
        if (sample === null) sample = buf.toString();
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
      } else if (message.type === 'complete' && !ready[i]) fail('completed before the first event');
    });
    ws.on('error', (err) => fail(`socket error: ${err.code || err.message}`));
    ws.on('close', (code, reason) => {
      if (ready[i]) note(closesAfterReady, `${code} ${String(reason)}`.trim());
      else fail(`closed before the first event: ${code} ${String(reason)}`.trim());
    });
  }

  async function openAll() {
    const started = now();
    for (let from = 0; from < cfg.count; from += cfg.batch) {
      const to = Math.min(cfg.count, from + cfg.batch);
      await new Promise((resolve) => {
        const timer = setTimeout(done, cfg.batchTimeoutMs);
        function done() {
          clearTimeout(timer);
          settle = null;
          resolve();
        }
        settle = () => {
          let n = 0;
          for (let i = from; i < to; i++) if (ready[i] || sockets[i] === null) n++;
          if (n >= to - from) done();
        };
        for (let i = from; i < to; i++) open(i);
      });
    }
    return { ready: readyCount, failed, failures, ms: Math.round(now() - started), sample };
  }

  /**
   * Latency of value v at subscriber i: the first arrival of any value >= v minus the time v
   * was sent (a value conflated away is shown by the later one). A value of which neither it
   * nor a later one ever arrives is unseen for that subscriber (of those subscribed).
   */
  function finish(sent, finalValue) {
    const h = newHistogram();
    const values = Object.keys(sent).map(Number).sort((a, b) => a - b);
    const seen = [...arrivals.keys()].sort((a, b) => a - b);
    let unseen = 0;
    let onFinal = 0;
    for (let i = 0; i < cfg.count; i++) {
      if (!ready[i]) continue; // never subscribed: counted as a connect failure
      if (last[i] === finalValue) onFinal++;
      let earliest = Infinity;
      let s = seen.length - 1;
      for (let k = values.length - 1; k >= 0; k--) {
        const v = values[k];
        while (s >= 0 && seen[s] >= v) {
          const t = arrivals.get(seen[s])[i];
          if (t !== 0 && t < earliest) earliest = t;
          s--;
        }
        if (earliest === Infinity) unseen++;
        else addLatency(h, earliest - sent[v]);
      }
    }
    let stillOpen = 0;
    for (const ws of sockets) if (ws && ws.readyState === WebSocket.OPEN) stillOpen++;
    return { histogram: packHistogram(h), frames, unseen, onFinal, repeats, stale, ready: readyCount, failed, failures, closesAfterReady, errorsAfterReady, stillOpen, slots: Array.from(slots, (x) => x || 0) };
  }

  let progressTimer = null;
  process.on('message', async (msg) => {
    if (msg.cmd === 'open') {
      cfg = msg;
      ready = new Uint8Array(cfg.count);
      last = new Float64Array(cfg.count).fill(-1);
      sockets = new Array(cfg.count);
      readyCount = failed = frames = repeats = stale = errorsAfterReady = 0;
      failures = {};
      closesAfterReady = {};
      arrivals = new Map();
      slots = [];
      phaseStart = 0;
      sample = null;
      const result = await openAll();
      process.send({ type: 'opened', result });
      progressTimer = setInterval(() => {
        let onFinal = 0;
        if (cfg.finalValue !== undefined) for (let i = 0; i < cfg.count; i++) if (last[i] === cfg.finalValue) onFinal++;
        process.send({ type: 'progress', frames, ready: readyCount, onFinal });
      }, 250);
    } else if (msg.cmd === 'start') {
      phaseStart = msg.at;
      process.send({ type: 'started' });
    } else if (msg.cmd === 'final') {
      cfg.finalValue = msg.value; // progress then counts the subscribers showing it
      process.send({ type: 'finalSet' });
    } else if (msg.cmd === 'finish') {
      clearInterval(progressTimer);
      process.send({ type: 'finished', result: finish(msg.sent, msg.finalValue) });
    } else if (msg.cmd === 'close') {
      for (const ws of sockets) ws && ws.terminate();
      sockets = [];
      arrivals = new Map();
      setTimeout(() => process.send({ type: 'closed' }), 500);
    } else if (msg.cmd === 'exit') {
      for (const ws of sockets) ws && ws.terminate();
      setTimeout(() => process.exit(0), 200);
    }
  });
  process.on('disconnect', () => process.exit(0));
}

/** Forks one clients process; `request(msg, replyType)` resolves with its answer. */
function startClients() {
  const child = fork(__filename, ['--worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  const waiters = new Map();
  const clients = { child, progress: { frames: 0, ready: 0, onFinal: 0 } };
  child.on('message', (m) => {
    if (m.type === 'progress') clients.progress = m;
    const waiter = waiters.get(m.type);
    if (waiter) {
      waiters.delete(m.type);
      waiter(m);
    }
  });
  clients.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  clients.request = (msg, reply, ms = 600_000) => {
    let timer;
    return Promise.race([
      new Promise((resolve) => {
        waiters.set(reply, resolve);
        child.send(msg);
      }),
      clients.exited.then((e) => {
        throw new Error(`a clients process exited (${e.code ?? e.signal})`);
      }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`a clients process did not answer ${msg.cmd} within ${ms} ms`)), ms);
      }),
    ]).finally(() => clearTimeout(timer));
  };
  return clients;
}

module.exports = { now, startClients, newHistogram, addLatency, packHistogram, mergeHistogram, percentile, SLOT_MS };

if (require.main === module && process.argv[2] === '--worker') worker();
