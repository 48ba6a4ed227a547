import { campaignsModule } from '@cascade/campaigns';
import { feedsModule } from '@cascade/feeds';
import { migrateDown, migrateUp, migrationStatus, openDatabase, parseConfig, ServiceModule } from '@cascade/kernel';
import { mediaModule } from '@cascade/media';
import { orgModule } from '@cascade/org';
import { reportsModule } from '@cascade/reports';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as mysql from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { testDatabaseUrl } from './helpers/platform';
import { childEnv, spawnNode } from './helpers/spawned';

/**
 * The migrate command (issue 15 item 6): for every service, up all → down all → up all leaves
 * the schema it started with (information_schema on MariaDB, SQLite's pragmas otherwise) and
 * status follows each step; two `migrate up` processes at once both succeed and apply each
 * migration once (MariaDB: GET_LOCK); a production process refuses a schema older than it needs.
 */
const modules: ServiceModule[] = [orgModule, campaignsModule, mediaModule, feedsModule, reportsModule];
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cascade-migrate-'));
const databaseUrl = testDatabaseUrl(`migrate${process.pid}`);
const config = parseConfig({ DATA_DIR: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
const ROOT = path.resolve(__dirname, '..');
const opened: DataSource[] = [];

async function serverConnection() {
  const url = new URL(databaseUrl!);
  return mysql.createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) });
}

afterAll(async () => {
  for (const ds of opened) if (ds.isInitialized) await ds.destroy();
  if (databaseUrl) {
    const conn = await serverConnection();
    const prefix = new URL(databaseUrl).pathname.slice(1);
    const [rows] = await conn.query('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?', [`${prefix}\\_%`]);
    for (const { name } of rows as { name: string }[]) await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await conn.end();
  }
  rmSync(dataDir, { recursive: true, force: true });
});

async function open(module: ServiceModule, service = module.name): Promise<DataSource> {
  const ds = await openDatabase({ service, entities: module.entities, migrations: module.migrations, config, schema: 'none' });
  opened.push(ds);
  return ds;
}

/** Tables, columns (type, null, default), indexes and foreign keys: everything a migration shapes. */
async function schemaOf(ds: DataSource): Promise<unknown> {
  if (ds.options.type === 'mysql') {
    const where = 'TABLE_SCHEMA = DATABASE()';
    return {
      columns: await ds.query(`SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, COLLATION_NAME FROM information_schema.COLUMNS WHERE ${where} ORDER BY TABLE_NAME, ORDINAL_POSITION`),
      indexes: await ds.query(`SELECT TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, NON_UNIQUE FROM information_schema.STATISTICS WHERE ${where} ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`),
      foreignKeys: await ds.query(
        `SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.DELETE_RULE, r.UPDATE_RULE FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r ON r.CONSTRAINT_SCHEMA = k.TABLE_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME WHERE k.${where} ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
      ),
    };
  }
  const tables: { name: string }[] = await ds.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`);
  const shape: Record<string, unknown> = {};
  for (const { name } of tables) {
    const indexes: { name: string; unique: number }[] = await ds.query(`SELECT name, "unique" FROM pragma_index_list(?) ORDER BY name`, [name]);
    shape[name] = {
      columns: await ds.query('SELECT cid, name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)', [name]),
      indexes: await Promise.all(indexes.map(async (i) => ({ ...i, columns: await ds.query('SELECT seqno, name FROM pragma_index_info(?)', [i.name]) }))),
      foreignKeys: await ds.query('SELECT "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq', [name]),
    };
  }
  return shape;
}

async function tablesOf(ds: DataSource): Promise<string[]> {
  const rows: { name: string }[] =
    ds.options.type === 'mysql'
      ? await ds.query('SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY name')
      : await ds.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`);
  return rows.map((r) => r.name);
}

it.each(modules.map((m) => [m.name, m] as const))('%s: up all → down all → up all gives back the same schema, status following', async (_name, module) => {
  const ds = await open(module);
  const names = (await migrationStatus(ds)).map((m) => m.name);
  expect(names.length).toBe((module.migrations as Function[]).length);
  expect(await migrationStatus(ds)).toEqual(names.map((name) => ({ name, applied: false })));

  expect(await migrateUp(ds)).toEqual(names);
  expect(await migrationStatus(ds)).toEqual(names.map((name) => ({ name, applied: true })));
  const before = await schemaOf(ds);
  expect(await migrateUp(ds)).toEqual([]);

  // one step, then the rest
  expect(await migrateDown(ds, 1)).toEqual([names.at(-1)]);
  expect(await migrationStatus(ds)).toEqual(names.map((name, i) => ({ name, applied: i < names.length - 1 })));
  expect(await migrateDown(ds, Number.MAX_SAFE_INTEGER)).toEqual(names.slice(0, -1).reverse());
  expect(await migrationStatus(ds)).toEqual(names.map((name) => ({ name, applied: false })));
  expect(await tablesOf(ds)).toEqual(['migrations']);
  expect(await migrateDown(ds, 1)).toEqual([]);

  expect(await migrateUp(ds)).toEqual(names);
  expect(await schemaOf(ds)).toEqual(before);
});

it('a production start refuses a schema older than it needs; migrate up lets it open', async () => {
  const production = { ...config, NODE_ENV: 'production' as const, MIGRATE_ON_START: undefined };
  const module = mediaModule;
  const service = 'prodcheck';
  const old = await openDatabase({ service, entities: [], migrations: (module.migrations as Function[]).slice(0, -1), config });
  await old.destroy();
  const refused = openDatabase({ service, entities: module.entities, migrations: module.migrations, config: production });
  await expect(refused).rejects.toThrow(/^the prodcheck database is 1 migration\(s\) behind this version \(MediaOutbox\d+\); run `node services\/prodcheck\/dist\/migrate\.js up`/);
  // MIGRATE_ON_START=true is the operator's way out (compose, one replica each)
  const migrated = await openDatabase({ service, entities: module.entities, migrations: module.migrations, config: { ...production, MIGRATE_ON_START: true } });
  await migrated.destroy();
  const current = await openDatabase({ service, entities: module.entities, migrations: module.migrations, config: production });
  opened.push(current);
  expect((await migrationStatus(current)).every((m) => m.applied)).toBe(true);
});

describe('the migrate command, as the Job runs it', () => {
  const env = () => childEnv({ DATA_DIR: path.join(dataDir, 'cli'), LOG_LEVEL: 'warn', ...(databaseUrl ? { DATABASE_URL: `${databaseUrl}cli` } : {}) });
  const run = async (script: string, args: string[]) => {
    const child = spawnNode(path.join(ROOT, script), env(), args);
    const exit = await child.exited;
    return { code: exit.code, stdout: child.stdout(), stderr: child.stderr() };
  };
  const migrations = (campaignsModule.migrations as Function[]).map((m) => m.name);

  it('answers a bad command with its usage and exit code 2', async () => {
    expect(await run('services/campaigns/dist/migrate.js', ['sideways'])).toEqual({ code: 2, stdout: '', stderr: expect.stringMatching(/^usage: migrate up/) });
    expect(await run('app/dist/migrate.js', ['nowhere', 'up'])).toEqual({ code: 2, stdout: '', stderr: expect.stringMatching(/^usage: migrate <org\|campaigns\|media\|feeds\|reports\|all>/) });
  });

  // SQLite is one process's file (embedded mode): there the two runs go one after the other
  it(`two \`up\` ${databaseUrl ? 'at once' : 'in turn'} both succeed and apply each migration once; status and down report it`, async () => {
    const up = () => run('services/campaigns/dist/migrate.js', ['up']);
    const both = databaseUrl ? await Promise.all([up(), up()]) : [await up(), await up()];
    for (const r of both) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const applied = both.flatMap((r) => r.stdout.split('\n').filter((l) => l.startsWith('campaigns: applied ')));
    expect(applied.sort()).toEqual(migrations.map((m) => `campaigns: applied ${m}`).sort());
    const ds = await open(campaignsModule);
    const rows: { name: string }[] = await ds.query('SELECT name FROM migrations ORDER BY id');
    expect(rows.map((r) => r.name)).toEqual(migrations);

    const status = await run('app/dist/migrate.js', ['campaigns', 'status']);
    expect(status).toEqual({ code: 0, stderr: '', stdout: [...migrations.map((m) => `campaigns: applied ${m}`), 'campaigns: up to date', ''].join('\n') });
    const down = await run('services/campaigns/dist/migrate.js', ['down', '--steps', '2']);
    expect(down).toEqual({ code: 0, stderr: '', stdout: [`campaigns: reverted ${migrations.at(-1)}`, `campaigns: reverted ${migrations.at(-2)}`, 'campaigns: 2 reverted', ''].join('\n') });
    const after = await run('services/campaigns/dist/migrate.js', ['status']);
    expect(after.stdout).toContain(`campaigns: pending ${migrations.at(-1)}\ncampaigns: 2 pending\n`);
  });
});
