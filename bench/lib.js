'use strict';
// Small helpers shared by the benchmarks (plain Node, against the built packages: run `npx tsc -b` first).
const { execSync } = require('node:child_process');
const { mkdtempSync, rmSync, readFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const mysql = require('mysql2/promise');
const { startPlatform, GraphQLClient } = require('@cascade/app');
const { parseConfig } = require('@cascade/kernel');

const ROOT_EMAIL = 'root@cascade.bench';
const ROOT_PASSWORD = 'root-password-for-bench';
const PASSWORD = 'password-for-bench';

function serverOf(databaseUrl) {
  const url = new URL(databaseUrl);
  return { host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
}

/** Drops every database named `<prefix>_*` (the per-service databases of one platform). */
async function dropDatabases(databaseUrl) {
  const prefix = new URL(databaseUrl).pathname.slice(1);
  const conn = await mysql.createConnection(serverOf(databaseUrl));
  try {
    const [rows] = await conn.query(`SHOW DATABASES LIKE '${prefix.replace(/_/g, '\\_')}\\_%'`);
    for (const row of rows) await conn.query(`DROP DATABASE \`${Object.values(row)[0]}\``);
  } finally {
    await conn.end();
  }
}

/** Starts every subgraph and the gateway in this process on fresh `<prefix>_*` databases. */
async function startBenchPlatform(databaseUrl) {
  await dropDatabases(databaseUrl);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cascade-bench-'));
  const config = parseConfig({
    NODE_ENV: 'production',
    PORT: '0',
    SUBGRAPH_PORTS: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    DEMO_DATA: 'false',
    ROOT_ADMIN_EMAIL: ROOT_EMAIL,
    ROOT_ADMIN_PASSWORD: ROOT_PASSWORD,
    JWT_SECRET: 'jwt-secret-for-bench-0123456789',
    INTERNAL_SECRET: 'internal-secret-for-bench-0123456789',
  });
  const platform = await startPlatform(config);
  const gql = new GraphQLClient(platform.gateway.url);
  const root = await gql.signIn(ROOT_EMAIL, ROOT_PASSWORD);
  return {
    platform,
    config,
    gql,
    root,
    service: (name) => platform.services.find((s) => s.name === name),
    async stop() {
      await platform.stop();
      await dropDatabases(databaseUrl);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A tenant with its ADMIN, created through the API by root. */
async function createTenant(p, { name, level, parentId, key }) {
  const t = await p.root.run('mutation($i: CreateTenantInput!) { createTenant(input: $i) { id } }', { i: { name, level, parentId } });
  const tenantId = t.createTenant.id;
  const email = `admin@${key}.bench`;
  await p.root.run('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
    i: { tenantId, email, name: `${name}管理员`, password: PASSWORD, role: 'ADMIN' },
  });
  return { tenantId, admin: await p.gql.signIn(email, PASSWORD) };
}

/** p-th percentile (0–100) of an ascending array. */
function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1), mean };
}

const ms = (v) => `${v.toFixed(2)} ms`;

/** The machine, for RESULTS.md. */
async function machine(databaseUrl) {
  const conn = await mysql.createConnection(serverOf(databaseUrl));
  const [[{ v }]] = await conn.query('SELECT VERSION() AS v');
  const [vars] = await conn.query("SHOW VARIABLES WHERE Variable_name IN ('innodb_buffer_pool_size','innodb_flush_log_at_trx_commit')");
  await conn.end();
  return {
    date: new Date().toISOString(),
    nproc: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    mariadb: v,
    mariadbVars: Object.fromEntries(vars.map((r) => [r.Variable_name, r.Value])),
    loadavg: os.loadavg().map((l) => l.toFixed(2)).join(' '),
  };
}

/** CPU seconds used so far by the MariaDB server process (from /proc), or null. */
function mariadbCpuSeconds() {
  try {
    const pid = execSync('pidof mariadbd || pidof mysqld', { encoding: 'utf8' }).trim().split(/\s+/)[0];
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return null;
  }
}

module.exports = {
  ROOT_EMAIL, PASSWORD, serverOf, dropDatabases, startBenchPlatform, createTenant, percentile, stats, ms, machine, mariadbCpuSeconds,
};
