// Runs Cascade the production way for a benchmark: each subgraph and the gateway its own
// process (node services/<name>/dist/main.js, node gateway/dist/main.js), so the load
// generator (this process) does not share their event loop.
const { spawn } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const { dropDatabases } = require('./common');

const ROOT = path.resolve(__dirname, '..');
const SERVICES = ['org', 'campaigns', 'feeds'];

async function waitReady(url, ms = 30000) {
  const started = Date.now();
  while (Date.now() - started < ms) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} not ready`);
}

async function startCluster({ name, basePort = 4600, redis = false }) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `cascade-cluster-${name}-`));
  const databaseUrl = process.env.DATABASE_URL ? `${process.env.DATABASE_URL}_${name}` : undefined;
  await dropDatabases(databaseUrl);
  const common = {
    ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', DATA_DIR: dataDir, HOST: '127.0.0.1',
    JWT_SECRET: 'bench-jwt-secret-0123456789', INTERNAL_SECRET: 'bench-internal-secret-0123456789',
    ROOT_ADMIN_EMAIL: 'root@bench.test', ROOT_ADMIN_PASSWORD: 'bench-root-password',
    DATABASE_URL: databaseUrl ?? '', REDIS_URL: redis ? (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379') : '',
    EVENT_CHANNEL_PREFIX: `bench-${name}-${process.pid}`,
  };
  const urls = Object.fromEntries(SERVICES.map((s, i) => [s, `http://127.0.0.1:${basePort + 1 + i}/graphql`]));
  const env = { ...common, ORG_URL: urls.org, CAMPAIGNS_URL: urls.campaigns, FEEDS_URL: urls.feeds };
  const children = {};
  for (const [i, service] of SERVICES.entries()) {
    children[service] = spawn(process.execPath, [path.join(ROOT, `services/${service}/dist/main.js`)], { env: { ...env, PORT: String(basePort + 1 + i) }, stdio: 'inherit' });
    await waitReady(urls[service].replace('/graphql', '/readyz'));
  }
  children.gateway = spawn(process.execPath, [path.join(ROOT, 'gateway/dist/main.js')], { env: { ...env, PORT: String(basePort) }, stdio: 'inherit' });
  // children die with this process, even when it is killed by a timeout
  process.on('exit', () => Object.values(children).forEach((c) => c.kill('SIGKILL')));
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(1));
  const gatewayUrl = `http://127.0.0.1:${basePort}/graphql`;
  await waitReady(gatewayUrl.replace('/graphql', '/healthz'));
  return {
    gatewayUrl,
    pids: Object.fromEntries(Object.entries(children).map(([k, c]) => [k, c.pid])),
    async stop() {
      for (const child of Object.values(children)) child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 500));
      await dropDatabases(databaseUrl);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

module.exports = { startCluster };
