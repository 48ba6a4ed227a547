import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { StartupError } from './process';

/**
 * Schema migrations as an operator runs them (README, Operations: Migrations): `up`, `down`,
 * `status` on one service's database. On MySQL/MariaDB every change runs under the server's
 * named lock GET_LOCK (one per database), so two runs at once (two Job pods, two processes
 * migrating at start) take turns: the second finds nothing pending. SQLite is one process's
 * file: no lock.
 */

export interface MigrationState {
  /** TypeORM's name: the class name, ending with its timestamp. */
  name: string;
  applied: boolean;
}

/** How long a run waits for another run's lock before giving up (a migration may take minutes). */
const LOCK_WAIT_SECONDS = 600;

/** The server-wide lock name of one database (MySQL caps lock names at 64 characters). */
export function migrationLockName(database: string): string {
  const name = `cascade_migrate_${database}`;
  return name.length <= 64 ? name : `cascade_migrate_${createHash('sha256').update(database).digest('hex').slice(0, 40)}`;
}

const isMysql = (dataSource: DataSource) => dataSource.options.type === 'mysql';

/**
 * Runs `work` holding the database's migration lock. GET_LOCK belongs to one connection:
 * the lock is taken and released on a dedicated query runner, while TypeORM's migrations run
 * on their own connections from the pool.
 */
export async function withMigrationLock<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  if (!isMysql(dataSource)) return work();
  const runner = dataSource.createQueryRunner();
  try {
    const [{ db }] = await runner.query('SELECT DATABASE() AS db');
    const name = migrationLockName(String(db));
    const [{ got }] = await runner.query('SELECT GET_LOCK(?, ?) AS got', [name, LOCK_WAIT_SECONDS]);
    if (Number(got) !== 1) throw new StartupError(`another migration of ${db} held its lock for ${LOCK_WAIT_SECONDS} s; gave up`);
    try {
      return await work();
    } finally {
      await runner.query('SELECT RELEASE_LOCK(?)', [name]);
    }
  } finally {
    await runner.release();
  }
}

/** Every migration the code knows, in order, and whether the database has it. */
export async function migrationStatus(dataSource: DataSource): Promise<MigrationState[]> {
  const applied = await appliedMigrations(dataSource);
  return dataSource.migrations.map((m) => ({ name: m.name ?? m.constructor.name, applied: applied.has(m.name ?? m.constructor.name) }));
}

/** Names recorded in the migrations table (none when it does not exist yet). */
async function appliedMigrations(dataSource: DataSource): Promise<Set<string>> {
  const runner = dataSource.createQueryRunner();
  try {
    const table = dataSource.options.migrationsTableName ?? 'migrations';
    if (!(await runner.hasTable(table))) return new Set();
    const rows: { name: string }[] = await runner.query(`SELECT name FROM ${dataSource.driver.escape(table)}`);
    return new Set(rows.map((r) => r.name));
  } finally {
    await runner.release();
  }
}

/** Applies every pending migration, each in its own transaction, under the lock; returns their names. */
export async function migrateUp(dataSource: DataSource): Promise<string[]> {
  return withMigrationLock(dataSource, async () => {
    const done = await dataSource.runMigrations({ transaction: 'each' });
    return done.map((m) => m.name);
  });
}

/**
 * Reverts the last `steps` applied migrations, newest first, under the lock; returns their
 * names. Stops early when none is left.
 */
export async function migrateDown(dataSource: DataSource, steps: number): Promise<string[]> {
  return withMigrationLock(dataSource, async () => {
    const reverted: string[] = [];
    for (let i = 0; i < steps; i++) {
      const before = await migrationStatus(dataSource);
      const last = [...before].reverse().find((m) => m.applied);
      if (!last) break;
      await dataSource.undoLastMigration({ transaction: 'each' });
      reverted.push(last.name);
    }
    return reverted;
  });
}

/**
 * A production process serves only on the schema its code was built for: migrations still
 * pending (the deploy's `migrate up` has not run) refuse the start with one line saying what
 * to run. Migrations the code does not know (a newer version migrated, then rolled back) are
 * allowed: each migration keeps the previous version working (expand, then contract).
 */
export async function assertSchemaCurrent(dataSource: DataSource, service: string): Promise<void> {
  const pending = (await migrationStatus(dataSource)).filter((m) => !m.applied).map((m) => m.name);
  if (pending.length === 0) return;
  throw new StartupError(
    `the ${service} database is ${pending.length} migration(s) behind this version (${pending.join(', ')}); ` +
      `run \`node services/${service}/dist/migrate.js up\` (the cascade-migrate Job) first, or set MIGRATE_ON_START=true`,
  );
}
