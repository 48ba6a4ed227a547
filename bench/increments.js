// Increments through the gateway from 50 concurrent clients on one activity:
// increments/s, latency, and a check that the final value is exact (no update lost).
// Cascade runs as separate processes (gateway, org, campaigns, feeds); this process only loads.
//   DATABASE_URL=mysql://root@127.0.0.1:3306/cascade_bench node bench/increments.js [total=20000] [clients=50]
const { venue, percentile } = require('./common');
const { startCluster } = require('./cluster');
const { GraphQLClient } = require('@cascade/app');
const http = require('node:http');

async function main() {
  const total = Number(process.argv[2] ?? 20000);
  const clients = Number(process.argv[3] ?? 50);
  const cluster = await startCluster({ name: 'inc' });
  const gql = new GraphQLClient(cluster.gatewayUrl);
  const t = { gql, root: await gql.signIn('root@bench.test', 'bench-root-password'), platform: { gateway: { url: cluster.gatewayUrl } } };
  const { editor, activityId } = await venue(t);
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const url = new URL(t.platform.gateway.url);
  const body = JSON.stringify({ query: 'mutation($a: ID!) { incrementStatistic(input: { activityId: $a, indicator: SIGNATURES, by: 1 }) { value } }', variables: { a: activityId } });
  const post = () => new Promise((resolve, reject) => {
    const req = http.request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${editor.token}` } }, (res) => {
      let data = '';
      res.on('data', (d) => (data += d));
      res.on('end', () => resolve(JSON.parse(data)));
    });
    req.on('error', reject);
    req.end(body);
  });
  let sent = 0, ok = 0, failed = 0;
  const latencies = [];
  const started = Date.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (sent < total) {
      sent++;
      const t0 = process.hrtime.bigint();
      const r = await post();
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (r.errors) failed++; else ok++;
    }
  }));
  const seconds = (Date.now() - started) / 1000;
  const final = await editor.run('query($a: ID!) { activity(id: $a) { statistics { indicator value } } }', { a: activityId });
  const value = final.activity.statistics.find((s) => s.indicator === 'SIGNATURES').value;
  latencies.sort((a, b) => a - b);
  const result = {
    database: process.env.DATABASE_URL ? 'MariaDB' : 'SQLite', clients, increments: ok, failed,
    seconds: seconds.toFixed(1), perSecond: Math.round(ok / seconds),
    p50ms: percentile(latencies, 50).toFixed(1), p99ms: percentile(latencies, 99).toFixed(1),
    finalValue: value, lost: ok - value,
  };
  console.log(JSON.stringify(result));
  agent.destroy();
  await cluster.stop();
  process.exit(result.lost === 0 && failed === 0 ? 0 : 1);
}
main().catch((err) => { console.error(err); process.exit(1); });
