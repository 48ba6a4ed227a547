// N graphql-ws subscribers of one activity on one gateway process; 10 increments per second
// for DURATION seconds. Reports delivery latency (increment sent → event received) p50/p99,
// lost events, and the gateway process's peak RSS and mean CPU.
//   node bench/subscribers.js [N=1000] [DURATION=60]        (SQLite; DATABASE_URL for MariaDB)
// Cascade runs as separate processes with Redis as the bus (cluster.js); this process only
// holds the subscribers and sends the increments.
const fs = require('node:fs');
const WebSocket = require('ws');
const { GraphQLClient } = require('@cascade/app');
const { venue, percentile } = require('./common');
const { startCluster } = require('./cluster');

function procStats(pid) {
  const rss = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { rss, cpuTicks: Number(fields[11]) + Number(fields[12]) };
}

async function main() {
  const N = Number(process.argv[2] ?? 1000);
  const DURATION = Number(process.argv[3] ?? 60);
  const cluster = await startCluster({ name: `subs${N}`, basePort: 4800, redis: true });
  const gql = new GraphQLClient(cluster.gatewayUrl);
  const t = { gql, root: await gql.signIn('root@bench.test', 'bench-root-password'), platform: { gateway: { url: cluster.gatewayUrl } } };
  const { editor, activityId } = await venue(t);
  await editor.run('mutation($a: ID!) { incrementStatistic(input: { activityId: $a, indicator: SIGNATURES, by: 1 }) { value } }', { a: activityId });
  const viewer = await gql.signIn('national@bench.test', 'bench-password');

  const sentAt = new Map(); // value → ms
  const latencies = [];
  const received = new Array(N).fill(0);
  let connectErrors = 0;
  const wsUrl = cluster.gatewayUrl.replace('http', 'ws');
  const query = 'subscription($a: ID!) { statisticChanged(activityId: $a) { value } }';
  const open = (i) => new Promise((resolve) => {
    const ws = new WebSocket(wsUrl, 'graphql-transport-ws');
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${viewer.token}` } })));
    ws.on('message', (data) => {
      const text = String(data);
      if (text.startsWith('{"type":"connection_ack"')) {
        ws.send(JSON.stringify({ type: 'subscribe', id: '1', payload: { query, variables: { a: activityId } } }));
        resolve(ws);
        return;
      }
      const m = /"value":(\d+)/.exec(text);
      if (!m) return;
      const sent = sentAt.get(Number(m[1]));
      if (sent !== undefined) {
        latencies.push(Date.now() - sent);
        received[i]++;
      }
    });
    ws.on('error', () => { connectErrors++; resolve(null); });
  });
  const sockets = [];
  const opening = Date.now();
  for (let i = 0; i < N; i += 500) {
    sockets.push(...(await Promise.all(Array.from({ length: Math.min(500, N - i) }, (_, k) => open(i + k)))));
    if ((i + 500) % 5000 === 0) console.error(`${i + 500} subscribers open after ${((Date.now() - opening) / 1000).toFixed(1)} s`);
  }
  const openSeconds = (Date.now() - opening) / 1000;
  await new Promise((r) => setTimeout(r, 2000)); // first events (current state) settle

  const pid = cluster.pids.gateway;
  let peakRss = 0;
  const cpuStart = procStats(pid).cpuTicks;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, procStats(pid).rss); }, 1000);
  const started = Date.now();
  let increments = 0;
  while (Date.now() - started < DURATION * 1000) {
    const tick = Date.now();
    const expected = increments + 2; // value after this increment (started at 1)
    sentAt.set(expected, Date.now());
    const r = await editor.run('mutation($a: ID!) { incrementStatistic(input: { activityId: $a, indicator: SIGNATURES, by: 1 }) { value } }', { a: activityId });
    if (r.incrementStatistic.value !== expected) throw new Error(`unexpected value ${r.incrementStatistic.value}`);
    increments++;
    await new Promise((res) => setTimeout(res, Math.max(0, 100 - (Date.now() - tick))));
  }
  await new Promise((r) => setTimeout(r, 3000)); // stragglers
  clearInterval(sampler);
  const cpuSeconds = (procStats(pid).cpuTicks - cpuStart) / 100;
  const wall = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const connected = sockets.filter(Boolean).length;
  const result = {
    subscribers: N, connected, connectErrors, openSeconds: openSeconds.toFixed(1), increments,
    expectedEvents: connected * increments, receivedEvents: latencies.length, lost: connected * increments - latencies.length,
    p50ms: percentile(latencies, 50), p99ms: percentile(latencies, 99), maxMs: latencies.at(-1),
    gatewayPeakRssMB: Math.round(peakRss / 1048576), gatewayMeanCpuPct: Math.round((cpuSeconds / wall) * 100),
  };
  console.log(JSON.stringify(result));
  for (const ws of sockets) ws?.terminate();
  await cluster.stop();
  process.exit(0);
}
main().catch((err) => { console.error(err); process.exit(1); });
