import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DataSource, DataSourceOptions, MixedList } from 'typeorm';
import { Config } from './config';

export interface DatabaseOptions {
  /** The service's name; its database is `<prefix>_<service>` (MySQL) or `<service>.sqlite`. */
  service: string;
  entities: MixedList<Function>;
  migrations: MixedList<Function>;
  config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>;
}

/** The MySQL database name for one service: `<prefix>_<service>`. */
export function mysqlDatabaseName(databaseUrl: string, service: string): string {
  const prefix = new URL(databaseUrl).pathname.replace(/^\//, '');
  return `${prefix}_${service}`;
}

/**
 * One TypeORM DataSource per service. DATABASE_URL unset: an embedded SQLite file under
 * DATA_DIR. mysql://…: MySQL/MariaDB through mysql2, utf8mb4, UTC; the database is created
 * if missing. The schema comes from migrations, run here; never `synchronize`.
 */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  const common = {
    entities: options.entities,
    migrations: options.migrations,
    migrationsRun: true,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: false,
  };
  let dataSourceOptions: DataSourceOptions;
  const url = options.config.DATABASE_URL;
  if (!url) {
    mkdirSync(options.config.DATA_DIR, { recursive: true });
    dataSourceOptions = {
      ...common,
      type: 'better-sqlite3',
      database: path.resolve(options.config.DATA_DIR, `${options.service}.sqlite`),
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('busy_timeout = 5000');
        db.pragma('foreign_keys = ON');
      },
    };
  } else {
    const database = mysqlDatabaseName(url, options.service);
    await createMysqlDatabase(url, database);
    const target = new URL(url);
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
  await dataSource.initialize();
  return dataSource;
}

async function createMysqlDatabase(url: string, database: string): Promise<void> {
  const mysql = await import('mysql2/promise');
  const server = new URL(url);
  const connection = await mysql.createConnection({
    host: server.hostname,
    port: Number(server.port || 3306),
    user: decodeURIComponent(server.username),
    password: decodeURIComponent(server.password),
  });
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await connection.end();
  }
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
