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
  ])('refuses %p naming %s in one line', (env, variable) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    try {
      parseConfig(env);
    } catch (err) {
      expect((err as Error).message).toContain(variable);
      expect((err as Error).message).not.toContain('\n');
    }
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
});
