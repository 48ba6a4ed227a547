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

/**
 * `gateways`: that many gateway processes behind the one port (bench/cluster-primary.js,
 * node:cluster); `cpuProfDir`: the gateway process(es) write a V8 CPU profile there on exit;
 * `env`: more configuration for every process.
 */
async function startCluster({ name, basePort = 4600, redis = false, gateways = 1, cpuProfDir = null, env: extraEnv = {} }) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `cascade-cluster-${name}-`));
  const databaseUrl = process.env.DATABASE_URL ? `${process.env.DATABASE_URL}_${name}` : undefined;
  await dropDatabases(databaseUrl);
  const common = {
    ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', DATA_DIR: dataDir, HOST: '127.0.0.1',
    JWT_SECRET: 'bench-jwt-secret-0123456789', INTERNAL_SECRET: 'bench-internal-secret-0123456789',
    ROOT_ADMIN_EMAIL: 'root@bench.test', ROOT_ADMIN_PASSWORD: 'bench-root-password',
    DATABASE_URL: databaseUrl ?? '', REDIS_URL: redis ? (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379') : '',
    EVENT_CHANNEL_PREFIX: `bench-${name}-${process.pid}`,
    ...extraEnv,
  };
  const urls = Object.fromEntries(SERVICES.map((s, i) => [s, `http://127.0.0.1:${basePort + 1 + i}/graphql`]));
  const env = { ...common, ORG_URL: urls.org, CAMPAIGNS_URL: urls.campaigns, FEEDS_URL: urls.feeds };
  const children = {};
  for (const [i, service] of SERVICES.entries()) {
    children[service] = spawn(process.execPath, [path.join(ROOT, `services/${service}/dist/main.js`)], { env: { ...env, PORT: String(basePort + 1 + i) }, stdio: 'inherit' });
    await waitReady(urls[service].replace('/graphql', '/readyz'));
  }
  const gatewayMain = path.join(ROOT, 'gateway/dist/main.js');
  const profile = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [];
  const gatewayEnv = { env: { ...env, PORT: String(basePort) } };
  let gatewayPids;
  if (gateways > 1) {
    const args = [path.join(__dirname, 'cluster-primary.js'), gatewayMain, String(gateways), ...(cpuProfDir ? ['--cpu-prof-dir', cpuProfDir] : [])];
    children.gateway = spawn(process.execPath, args, { ...gatewayEnv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    gatewayPids = new Promise((resolve) => children.gateway.on('message', (m) => m.type === 'workers' && resolve(m.pids)));
  } else {
    children.gateway = spawn(process.execPath, [...profile, gatewayMain], { ...gatewayEnv, stdio: 'inherit' });
    gatewayPids = Promise.resolve([children.gateway.pid]);
  }
  // children die with this process, even when it is killed by a timeout
  process.on('exit', () => Object.values(children).forEach((c) => c.kill('SIGKILL')));
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(1));
  const gatewayUrl = `http://127.0.0.1:${basePort}/graphql`;
  await waitReady(gatewayUrl.replace('/graphql', '/healthz'));
  return {
    gatewayUrl,
    pids: Object.fromEntries(Object.entries(children).map(([k, c]) => [k, c.pid])),
    /** The processes serving the gateway's sockets (the workers under node:cluster). */
    gatewayPids: await gatewayPids,
    async stop() {
      const exited = Object.values(children).map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : null));
      for (const child of Object.values(children)) child.kill('SIGTERM');
      // profiles are written on exit
      await Promise.race([Promise.all(exited), new Promise((r) => setTimeout(r, 15_000))]);
      await dropDatabases(databaseUrl);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

module.exports = { startCluster };
