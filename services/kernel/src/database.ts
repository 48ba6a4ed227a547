import { accessSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';
import { DataSource, DataSourceOptions, MixedList } from 'typeorm';
import { Config } from './config';
import { Logger } from './logger';
import { assertSchemaCurrent, migrateUp } from './migrate';
import { StartupError } from './process';
// a static import: under `module: node20` a dynamic import() stays one, which jest's module registry refuses
import * as mysql from 'mysql2/promise';

export interface DatabaseOptions {
  /** The service's name; its database is `<prefix>_<service>` (MySQL) or `<service>.sqlite`. */
  service: string;
  entities: MixedList<Function>;
  migrations: MixedList<Function>;
  config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'> & Partial<Pick<Config, 'DATABASE_WAIT_SECONDS' | 'NODE_ENV' | 'MIGRATE_ON_START'>>;
  /**
   * What opening does about the schema: `migrate` applies pending migrations (under the
   * migration lock), `check` refuses to open on pending ones, `none` leaves it (the migrate
   * command). Default: MIGRATE_ON_START, which is true except when NODE_ENV=production.
   */
  schema?: 'migrate' | 'check' | 'none';
  /** Where "waiting for the database" is written while it does not answer yet. */
  logger?: Logger;
}

/** The MySQL database name for one service: `<prefix>_<service>`. */
export function mysqlDatabaseName(databaseUrl: string, service: string): string {
  const prefix = new URL(databaseUrl).pathname.replace(/^\//, '');
  return `${prefix}_${service}`;
}

/**
 * One TypeORM DataSource per service. DATABASE_URL unset: an embedded SQLite file under
 * DATA_DIR. mysql://…: MySQL/MariaDB through mysql2, utf8mb4, UTC; the database is created
 * if missing, after waiting up to DATABASE_WAIT_SECONDS for the server to answer. The schema
 * comes from migrations, never `synchronize`: applied here (embedded mode, development, tests)
 * or by the migrate command before a production start (`schema`). A database that cannot be opened is
 * a StartupError naming the file or host (never the password).
 */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  const common = {
    entities: options.entities,
    migrations: options.migrations,
    migrationsRun: false,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: false,
  };
  let dataSourceOptions: DataSourceOptions;
  const url = options.config.DATABASE_URL;
  let where: string;
  if (!url) {
    ensureDataDir(options.config.DATA_DIR);
    where = path.resolve(options.config.DATA_DIR, `${options.service}.sqlite`);
    dataSourceOptions = {
      ...common,
      type: 'better-sqlite3',
      database: where,
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('busy_timeout = 5000');
        db.pragma('foreign_keys = ON');
      },
    };
  } else {
    const database = mysqlDatabaseName(url, options.service);
    const target = new URL(url);
    where = `${target.host}/${database}`;
    await createMysqlDatabase(url, database, (options.config.DATABASE_WAIT_SECONDS ?? 30) * 1000, options.logger);
    target.pathname = `/${database}`;
    dataSourceOptions = {
      ...common,
      type: 'mysql',
      url: target.toString(),
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      extra: { connectionLimit: 20 },
    };
  }
  const dataSource = new DataSource(dataSourceOptions);
  const schema = options.schema ?? ((options.config.MIGRATE_ON_START ?? options.config.NODE_ENV !== 'production') ? 'migrate' : 'check');
  try {
    await dataSource.initialize();
    if (schema === 'migrate') await migrateUp(dataSource);
  } catch (err) {
    // a corrupt or locked SQLite file, a failing migration: one line naming the database
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    throw new StartupError(`cannot open the ${options.service} database ${where}: ${firstLine(err)}`, { cause: err });
  }
  if (schema === 'check') {
    try {
      await assertSchemaCurrent(dataSource, options.service);
    } catch (err) {
      await dataSource.destroy().catch(() => undefined);
      throw err;
    }
  }
  return dataSource;
}

/** DATA_DIR exists (made if missing) and is a directory this process can write in. */
export function ensureDataDir(dataDir: string): void {
  const resolved = path.resolve(dataDir);
  try {
    mkdirSync(resolved, { recursive: true });
    accessSync(resolved, constants.W_OK);
  } catch (err) {
    throw new StartupError(`DATA_DIR ${resolved} is not a writable directory: ${firstLine(err)}`, { cause: err });
  }
}

/** Errors that mean "the server is not up (yet)", worth waiting through. */
const NOT_UP_YET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'PROTOCOL_CONNECTION_LOST', 'ER_SERVER_SHUTDOWN']);

/**
 * Connects to the server (waiting up to `waitMs`, backing off 0.25 s → 5 s between tries:
 * a database container may start after the service) and creates the service's database.
 */
async function createMysqlDatabase(url: string, database: string, waitMs: number, logger?: Logger): Promise<void> {
  const server = new URL(url);
  const address = `${server.hostname}:${server.port || 3306}`;
  const deadline = Date.now() + waitMs;
  let pause = 250;
  let connection: Awaited<ReturnType<typeof mysql.createConnection>>;
  for (;;) {
    try {
      connection = await mysql.createConnection({
        host: server.hostname,
        port: Number(server.port || 3306),
        user: decodeURIComponent(server.username),
        password: decodeURIComponent(server.password),
        connectTimeout: Math.min(10_000, Math.max(1_000, deadline - Date.now())),
      });
      break;
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (!NOT_UP_YET.has(code)) throw new StartupError(`the database at ${address} refused the connection: ${firstLine(err)}`, { cause: err });
      if (Date.now() >= deadline) {
        const waited = Math.round(waitMs / 1000);
        throw new StartupError(`cannot reach the database at ${address} (${code}), gave up after ${waited} s (DATABASE_WAIT_SECONDS)`, { cause: err });
      }
      const retryInMs = Math.min(pause, deadline - Date.now());
      logger?.warn({ database: address, code, retryInMs }, 'waiting for the database');
      await new Promise((resolve) => setTimeout(resolve, retryInMs));
      pause = Math.min(pause * 2, 5_000);
    }
  }
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await connection.end();
  }
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}

/** Readiness probe: the database answers a trivial query. */
export async function databaseReady(dataSource: DataSource): Promise<boolean> {
  try {
    await dataSource.query('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
