import { ConfigError, parseConfig, resolveSecrets } from '@cascade/kernel';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

describe('configuration', () => {
  it('has embedded defaults for everything', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({ PORT: 4000, SUBGRAPH_PORTS: 4001, DATA_DIR: './data', DEMO_DATA: true, ROOT_ADMIN_EMAIL: 'root@cascade.local', DATABASE_WAIT_SECONDS: 30 });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'postgres://x/y' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ DEMO_DATA: 'maybe' }, 'DEMO_DATA'],
    [{ DATABASE_WAIT_SECONDS: '-1' }, 'DATABASE_WAIT_SECONDS'],
    [{ ROOT_ADMIN_EMAIL: 'not-an-email' }, 'ROOT_ADMIN_EMAIL'],
    [{ NODE_ENV: 'production' }, 'JWT_SECRET'],
    [{ ROOT_ADMIN_PASSWORD: 'nine-char' }, 'ROOT_ADMIN_PASSWORD'],
    [{ CORS_ORIGINS: '*' }, 'CORS_ORIGINS'],
    [{ CORS_ORIGINS: 'https://app.example/path' }, 'CORS_ORIGINS'],
    [{ CORS_ORIGINS: 'null' }, 'CORS_ORIGINS'],
  ])('refuses %p naming %s in one line', (env, variable) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    try {
      parseConfig(env);
    } catch (err) {
      expect((err as Error).message).toContain(variable);
      expect((err as Error).message).not.toContain('\n');
    }
  });

  it('reads CORS_ORIGINS as an allow-list, empty by default', () => {
    expect(parseConfig({}).CORS_ORIGINS).toEqual([]);
    expect(parseConfig({ CORS_ORIGINS: 'https://app.example, http://localhost:5173' }).CORS_ORIGINS).toEqual(['https://app.example', 'http://localhost:5173']);
  });

  it('stops a process with one clear line and exit code 1', () => {
    const entry = path.resolve(__dirname, '../app/dist/embedded.js');
    const result = spawnSync(process.execPath, [entry], { env: { ...process.env, PORT: 'not-a-port', DATABASE_URL: '' }, encoding: 'utf8', timeout: 20000 });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('Invalid configuration: PORT Expected number, received nan');
  });

  it('keeps generated embedded secrets across restarts, and prefers the environment', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cascade-secrets-'));
    try {
      const first = resolveSecrets(parseConfig({ DATA_DIR: dir }));
      expect(resolveSecrets(parseConfig({ DATA_DIR: dir }))).toEqual(first);
      expect(first.jwtSecret).not.toBe(first.internalSecret);
      const fromEnv = resolveSecrets(parseConfig({ DATA_DIR: dir, JWT_SECRET: 'j'.repeat(20), INTERNAL_SECRET: 'i'.repeat(20) }));
      expect(fromEnv).toEqual({ jwtSecret: 'j'.repeat(20), internalSecret: 'i'.repeat(20) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the development defaults outside production: root password, demo data', () => {
    for (const NODE_ENV of ['development', 'test']) {
      expect(parseConfig({ NODE_ENV })).toMatchObject({ ROOT_ADMIN_PASSWORD: 'cascade-root', DEMO_DATA: true });
    }
  });
});

/** Issue 10, item 4: production never runs on a value this repository publishes. */
describe('production', () => {
  const good = {
    NODE_ENV: 'production',
    JWT_SECRET: 'a-real-jwt-secret-0123456789',
    INTERNAL_SECRET: 'a-real-internal-secret-0123456789',
    ROOT_ADMIN_PASSWORD: 'a real root passphrase',
  };

  it('starts with secrets of its own, and does not load demo data by default', () => {
    expect(parseConfig(good)).toMatchObject({ ...good, DEMO_DATA: false });
    expect(parseConfig({ ...good, DEMO_DATA: 'false' }).DEMO_DATA).toBe(false);
  });

  it.each([
    ['ROOT_ADMIN_PASSWORD', undefined],
    ['ROOT_ADMIN_PASSWORD', 'cascade-root'],
    ['ROOT_ADMIN_PASSWORD', 'cascade-demo'],
    ['ROOT_ADMIN_PASSWORD', 'root@cascade.local'],
    ['JWT_SECRET', undefined],
    ['JWT_SECRET', 'insecure-dev-jwt-secret-change-me'],
    ['JWT_SECRET', 'insecure-dev-internal-secret-change-me'],
    ['INTERNAL_SECRET', undefined],
    ['INTERNAL_SECRET', 'insecure-dev-internal-secret-change-me'],
    ['DEMO_DATA', 'true'],
    ['DEMO_DATA', '1'],
  ])('refuses %s=%p in one line naming it', (variable, value) => {
    const env: Record<string, string | undefined> = { ...good, [variable]: value };
    expect(() => parseConfig(env)).toThrow(ConfigError);
    try {
      parseConfig(env);
    } catch (err) {
      expect((err as Error).message).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
      expect((err as Error).message).not.toContain('\n');
      // the line names the variable, never the value
      if (value && variable !== 'DEMO_DATA') expect((err as Error).message).not.toContain(value);
    }
  });

  it('refuses a root password that is the root email, whatever its case', () => {
    expect(() => parseConfig({ ...good, ROOT_ADMIN_EMAIL: 'ops@city.example', ROOT_ADMIN_PASSWORD: 'OPS@city.example' })).toThrow(/ROOT_ADMIN_PASSWORD/);
  });
});
