'use strict';
/**
 * The gateway's memory under two unauthenticated attacks (issue 9), the gateway in its own
 * process (bench/cluster.js: org, campaigns, feeds and the gateway, production mode):
 *   frames  N sockets each send one connection_init frame of SIZE MiB, before signing in
 *   bodies  N requests each POST a SIZE MiB body to a spelling of /graphql (`/graphql/`,
 *           `//graphql`, `/./graphql`) and to /graphql chunked, before signing in
 * Prints the gateway's RSS before, its peak (VmHWM) during the attack, and after; and
 * whether the gateway still answers a signed-in query.
 *
 *   npx tsc -b && node bench/attack-rss.js [--sockets 3] [--mib 90] [--attacks frames,bodies]
 * Run it from another checkout (e.g. a `git worktree` of an older commit, after its own
 * `npm ci`) to measure that commit's gateway: it starts the processes of the checkout it is in.
 */
const http = require('node:http');
const fs = require('node:fs');
const WebSocket = require('ws');
const { startCluster } = require('./cluster');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}
const SOCKETS = arg('sockets', 3);
const MIB = arg('mib', 90);
const ATTACKS = (process.argv.includes('--attacks') ? process.argv[process.argv.indexOf('--attacks') + 1] : 'frames,bodies').split(',');

/** VmRSS and VmHWM (peak) of a process, in MiB. */
function memory(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)[1]);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** Resets VmHWM, so the next peak is this attack's own (Linux: write 5 to clear_refs). */
function resetPeak(pid) {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

async function frameAttack(gatewayUrl) {
  const payload = JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(MIB * 1024 * 1024) } });
  const outcomes = await Promise.all(
    Array.from({ length: SOCKETS }, () =>
      new Promise((resolve) => {
        const ws = new WebSocket(gatewayUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
        const started = Date.now();
        ws.on('error', () => undefined);
        ws.on('open', () => ws.send(payload, () => undefined));
        ws.on('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
        ws.on('close', (code) => resolve(`closed ${code} after ${Date.now() - started} ms`));
        // a server that stops reading leaves the close handshake queued behind the unsent bytes
        setTimeout(() => {
          ws.terminate();
          resolve('not closed within 10 s');
        }, 10_000).unref();
      }),
    ),
  );
  return outcomes;
}

async function bodyAttack(gatewayUrl) {
  const url = new URL(gatewayUrl);
  const chunk = Buffer.alloc(1024 * 1024, 'x');
  const paths = ['/graphql/', '//graphql', '/./graphql', '/graphql'];
  return Promise.all(
    Array.from({ length: SOCKETS }, (_, i) =>
      new Promise((resolve) => {
        const path = paths[i % paths.length];
        const chunked = path === '/graphql';
        const headers = { 'content-type': 'application/json', ...(chunked ? {} : { 'content-length': String(MIB * chunk.length + 20) }) };
        const req = http.request({ host: url.hostname, port: url.port, method: 'POST', path, headers, agent: false }, (res) => {
          res.resume();
          res.on('end', () => resolve(`${path}${chunked ? ' (chunked)' : ''}: ${res.statusCode}`));
        });
        req.on('error', (err) => resolve(`${path}${chunked ? ' (chunked)' : ''}: ${err.code ?? err.message}`));
        req.write('{"query":"{ me { email } } #');
        let sent = 0;
        const pump = () => {
          while (sent < MIB) {
            sent++;
            if (!req.write(chunk)) return req.once('drain', pump);
          }
          req.end('"}');
        };
        pump();
      }),
    ),
  );
}

async function main() {
  const cluster = await startCluster({ name: `attack${process.pid}`, basePort: 4700 });
  const pid = cluster.pids.gateway;
  const gql = async () => {
    const res = await fetch(cluster.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'mutation { signIn(email: "root@bench.test", password: "bench-root-password") { token } }' }), signal: AbortSignal.timeout(5000) });
    return (await res.json()).data?.signIn?.token ? 'answers' : 'does not answer';
  };
  const answers = () => gql().catch((err) => `does not answer (${err.name})`);
  try {
    await gql();
    const lines = [`gateway pid ${pid}, ${SOCKETS} × ${MIB} MiB, peak reset: ${resetPeak(pid)}`];
    for (const [name, attack] of [['frames', frameAttack], ['bodies', bodyAttack]].filter(([name]) => ATTACKS.includes(name))) {
      global.gc?.();
      await new Promise((r) => setTimeout(r, 1000));
      resetPeak(pid);
      const before = memory(pid);
      const outcomes = await attack(cluster.gatewayUrl);
      // the gateway may still be working on what it read: let it settle, then read the peak
      await new Promise((r) => setTimeout(r, 5000));
      const after = memory(pid);
      lines.push(`${name}: RSS before ${before.rss.toFixed(0)} MiB, peak ${after.peak.toFixed(0)} MiB, 5 s after ${after.rss.toFixed(0)} MiB; gateway ${await answers()}; ${outcomes.join('; ')}`);
    }
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    await cluster.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exit(1);
  },
);
