import { GraphQLClient, Platform, startPlatform } from '@cascade/app';
import { Config, parseConfig } from '@cascade/kernel';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// a static import: under `module: node20` a dynamic import() stays one, which jest's module registry refuses
import * as mysql from 'mysql2/promise';

export const ROOT_EMAIL = 'root@cascade.test';
export const ROOT_PASSWORD = 'root-password-for-tests';
export const PASSWORD = 'password-for-tests';

/**
 * The database tests run on: MariaDB/MySQL when DATABASE_URL is set (CI), else SQLite.
 * Each test file gets its own databases (a suffix on the prefix), dropped at the end.
 */
export function testDatabaseUrl(suffix: string): string | undefined {
  const base = process.env.DATABASE_URL;
  if (!base) return undefined;
  return `${base}_${suffix}`;
}

export interface TestPlatform {
  platform: Platform;
  config: Config;
  gql: GraphQLClient;
  root: GraphQLClient;
  signIn(email: string, password?: string): Promise<GraphQLClient>;
  stop(): Promise<void>;
}

export async function startTestPlatform(suffix: string, env: Record<string, string> = {}): Promise<TestPlatform> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `cascade-${suffix}-`));
  const databaseUrl = testDatabaseUrl(suffix);
  const config = parseConfig({
    PORT: '0',
    SUBGRAPH_PORTS: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    ROOT_ADMIN_EMAIL: ROOT_EMAIL,
    ROOT_ADMIN_PASSWORD: ROOT_PASSWORD,
    JWT_SECRET: 'jwt-secret-for-tests-0123456789',
    INTERNAL_SECRET: 'internal-secret-for-tests-0123456789',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...env,
  });
  if (databaseUrl) await dropDatabases(databaseUrl);
  const platform = await startPlatform(config);
  const gql = new GraphQLClient(platform.gateway.url);
  const root = await gql.signIn(ROOT_EMAIL, ROOT_PASSWORD);
  return {
    platform,
    config,
    gql,
    root,
    signIn: (email, password = PASSWORD) => gql.signIn(email, password),
    async stop() {
      await platform.stop();
      if (databaseUrl) await dropDatabases(databaseUrl);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Drops every database named `<prefix>_*` (the per-service databases of one test file). */
async function dropDatabases(databaseUrl: string) {
  const url = new URL(databaseUrl);
  const prefix = url.pathname.slice(1);
  const conn = await mysql.createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) });
  try {
    const [rows] = await conn.query(`SHOW DATABASES LIKE '${prefix.replace(/_/g, '\\_')}\\_%'`);
    for (const row of rows as Record<string, string>[]) await conn.query(`DROP DATABASE \`${Object.values(row)[0]}\``);
  } finally {
    await conn.end();
  }
}

/** The error code of the first error, or 'NONE'. */
export function codeOf(response: { errors?: { extensions?: { code?: string } }[] }): string {
  return response.errors?.[0]?.extensions?.code ?? 'NONE';
}
