// Shared by the benchmarks: start an in-process platform, make a tenant with an activity.
const { parseConfig } = require('@cascade/kernel');
const { startPlatform, GraphQLClient } = require('@cascade/app');
const os = require('node:os');
const fs = require('node:fs');
const path = require('node:path');

async function dropDatabases(databaseUrl) {
  if (!databaseUrl) return;
  const mysql = require('mysql2/promise');
  const url = new URL(databaseUrl);
  const prefix = url.pathname.slice(1);
  const conn = await mysql.createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) });
  const [rows] = await conn.query(`SHOW DATABASES LIKE '${prefix.replace(/_/g, '\\_')}\\_%'`);
  for (const row of rows) await conn.query(`DROP DATABASE \`${Object.values(row)[0]}\``);
  await conn.end();
}

async function start(name, env = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `cascade-bench-${name}-`));
  const databaseUrl = process.env.DATABASE_URL ? `${process.env.DATABASE_URL}_${name}` : undefined;
  await dropDatabases(databaseUrl);
  const config = parseConfig({
    PORT: '0', SUBGRAPH_PORTS: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'production', DEMO_DATA: 'false',
    JWT_SECRET: 'bench-jwt-secret-0123456789', INTERNAL_SECRET: 'bench-internal-secret-0123456789',
    ROOT_ADMIN_EMAIL: 'root@bench.test', ROOT_ADMIN_PASSWORD: 'bench-root-password',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), ...env,
  });
  const platform = await startPlatform(config);
  const gql = new GraphQLClient(platform.gateway.url);
  const root = await gql.signIn('root@bench.test', 'bench-root-password');
  return {
    platform, config, gql, root,
    async stop() {
      await platform.stop();
      await dropDatabases(databaseUrl);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A national tenant → province → city, an admin at the city, a campaign and one activity. */
async function venue(t) {
  const mk = async (name, level, parentId) => (await t.root.run('mutation($i: CreateTenantInput!) { createTenant(input: $i) { id } }', { i: { name, level, parentId } })).createTenant.id;
  const nation = await mk('全国', 'NATIONAL', null);
  const province = await mk('兵团', 'PROVINCE', nation);
  const city = await mk('第八师', 'CITY', province);
  await t.root.run('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', { i: { tenantId: city, email: 'editor@bench.test', name: '编辑', password: 'bench-password', role: 'EDITOR' } });
  await t.root.run('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', { i: { tenantId: nation, email: 'national@bench.test', name: '全国', password: 'bench-password', role: 'VIEWER' } });
  const editor = await t.gql.signIn('editor@bench.test', 'bench-password');
  const c = await editor.run('mutation { createCampaign(input: { title: "宣传周", startsOn: "2024-04-20", endsOn: "2024-04-26" }) { id } }');
  const a = await editor.run('mutation($c: ID!) { createActivity(input: { campaignId: $c, title: "万人签名", kind: SIGNATURE_DRIVE, startsAt: "2024-04-20T02:00:00Z" }) { id } }', { c: c.createCampaign.id });
  return { nation, province, city, editor, campaignId: c.createCampaign.id, activityId: a.createActivity.id };
}

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

module.exports = { start, venue, percentile, dropDatabases };
