import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { childEnv, ENTRY, freePort, freePortRun, occupyPort, spawnNode, Spawned } from './helpers/spawned';

/**
 * Issue 9, item 9: a start that cannot go on (ports taken, database unreachable, data
 * directory unusable) stops with ONE clear line on stderr and a non-zero exit code — no stack,
 * no "Unhandled 'error' event", no password — and a second start does not touch the data.
 * These run the built entry points as real processes (`npx tsc -b` first).
 */
const dirs: string[] = [];
const holders: net.Server[] = [];
const children: Spawned[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  await Promise.all(holders.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cascade-process-'));
  dirs.push(dir);
  return dir;
}

function run(entry: string, env: Record<string, string>): Spawned {
  const spawned = spawnNode(entry, childEnv(env));
  children.push(spawned);
  return spawned;
}

/** The contract for a start that cannot go on: one line, exit code ≠ 0. */
async function expectOneLineFailure(spawned: Spawned): Promise<string> {
  const exit = await spawned.exited;
  const stderr = spawned.stderr();
  expect(stderr).not.toMatch(/Unhandled 'error' event/);
  expect(stderr).not.toMatch(/\n\s+at /); // no stack frames
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(exit.code).not.toBe(0);
  expect(exit.code).not.toBeNull();
  return stderr.trim();
}

/** Holds a port (0: any free one) for the test's duration; returns its number. */
async function held(port: number): Promise<number> {
  const server = await occupyPort(port);
  holders.push(server);
  return (server.address() as net.AddressInfo).port;
}

describe('ports already taken', () => {
  it('embedded: a taken PORT stops the start with one line naming it, before any database is opened', async () => {
    const dataDir = tempDir();
    const port = await held(0);
    const first = await freePortRun(4);
    const spawned = run(ENTRY.embedded, { DATA_DIR: dataDir, PORT: String(port), SUBGRAPH_PORTS: String(first) });
    const line = await expectOneLineFailure(spawned);
    expect(line).toContain(`127.0.0.1:${port}`);
    expect(line).toMatch(/in use/);
    // nothing was migrated: no database file was made
    expect(readdirSync(dataDir).filter((f) => f.endsWith('.sqlite'))).toEqual([]);
  });

  it('embedded: a taken subgraph port (SUBGRAPH_PORTS + 2, media) stops the start with one line naming it', async () => {
    const dataDir = tempDir();
    const first = await freePortRun(4);
    await held(first + 2);
    const spawned = run(ENTRY.embedded, { DATA_DIR: dataDir, PORT: String(await freePort()), SUBGRAPH_PORTS: String(first) });
    const line = await expectOneLineFailure(spawned);
    expect(line).toContain(`127.0.0.1:${first + 2}`);
    expect(readdirSync(dataDir).filter((f) => f.endsWith('.sqlite'))).toEqual([]);
  });

  it('a standalone service on a taken PORT stops with one line naming it', async () => {
    const port = await held(0);
    const line = await expectOneLineFailure(run(ENTRY.org, { DATA_DIR: tempDir(), PORT: String(port) }));
    expect(line).toContain(`127.0.0.1:${port}`);
  });

  it('the standalone gateway on a taken PORT stops with one line naming it', async () => {
    const port = await held(0);
    const line = await expectOneLineFailure(run(ENTRY.gateway, { DATA_DIR: tempDir(), PORT: String(port) }));
    expect(line).toContain(`127.0.0.1:${port}`);
  });
});

describe('database unreachable or unusable', () => {
  const password = 'hunter2-not-to-be-printed';

  it('embedded: waits DATABASE_WAIT_SECONDS for an unreachable database, then one line naming the host, never the password', async () => {
    const dataDir = tempDir();
    const spawned = run(ENTRY.embedded, {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      SUBGRAPH_PORTS: String(await freePortRun(4)),
      DATABASE_URL: `mysql://root:${password}@127.0.0.1:1/cascadewait`,
      DATABASE_WAIT_SECONDS: '2',
    });
    const line = await expectOneLineFailure(spawned);
    expect(line).toContain('127.0.0.1:1');
    expect(line).toMatch(/2 s/);
    expect(spawned.stdout() + spawned.stderr()).not.toContain(password);
  });

  it('a standalone service: the same one line for an unreachable database', async () => {
    const spawned = run(ENTRY.org, {
      DATA_DIR: tempDir(),
      PORT: String(await freePort()),
      DATABASE_URL: `mysql://root:${password}@127.0.0.1:1/cascadewait`,
      DATABASE_WAIT_SECONDS: '1',
    });
    const line = await expectOneLineFailure(spawned);
    expect(line).toContain('127.0.0.1:1');
    expect(spawned.stdout() + spawned.stderr()).not.toContain(password);
  });

  // needs the real MariaDB the MariaDB run points DATABASE_URL at
  (process.env.DATABASE_URL ? it : it.skip)('a database that comes up within DATABASE_WAIT_SECONDS is waited for', async () => {
    const real = new URL(process.env.DATABASE_URL!);
    const prefix = `${real.pathname.slice(1)}_procwait`;
    const dropDatabase = async () => {
      const connection = await mysql.createConnection({ host: real.hostname, port: Number(real.port || 3306), user: decodeURIComponent(real.username), password: decodeURIComponent(real.password) });
      await connection.query(`DROP DATABASE IF EXISTS \`${prefix}_org\``);
      await connection.end();
    };
    await dropDatabase();
    const proxyPort = await freePort();
    const url = new URL(real.toString());
    url.host = `127.0.0.1:${proxyPort}`;
    url.pathname = `/${prefix}`;
    const spawned = run(ENTRY.org, { DATA_DIR: tempDir(), PORT: String(await freePort()), DATABASE_URL: url.toString(), DATABASE_WAIT_SECONDS: '60' });
    await spawned.waitFor(/waiting for the database/);
    // the database "comes up": a proxy to the real one opens on the address the service waits for
    const proxy = net.createServer((socket) => {
      const upstream = net.connect(Number(real.port || 3306), real.hostname);
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(proxyPort, '127.0.0.1', resolve));
    holders.push(proxy);
    await spawned.waitFor(/org subgraph listening/);
    spawned.child.kill('SIGTERM');
    expect(await spawned.exited).toEqual({ code: 0, signal: null });
    await dropDatabase();
  });

  it('embedded: a DATA_DIR that is a file stops the start with one line', async () => {
    const file = path.join(tempDir(), 'not-a-directory');
    writeFileSync(file, 'x');
    const line = await expectOneLineFailure(run(ENTRY.embedded, { DATA_DIR: file, PORT: String(await freePort()), SUBGRAPH_PORTS: String(await freePortRun(4)) }));
    expect(line).toContain(file);
  });

  it('embedded: a corrupt SQLite file stops the start with one line naming it', async () => {
    const dataDir = tempDir();
    writeFileSync(path.join(dataDir, 'org.sqlite'), 'this is not a database '.repeat(100));
    const line = await expectOneLineFailure(run(ENTRY.embedded, { DATA_DIR: dataDir, PORT: String(await freePort()), SUBGRAPH_PORTS: String(await freePortRun(4)) }));
    expect(line).toContain(path.join(dataDir, 'org.sqlite'));
  });

  it('embedded: a SQLite file locked by another process stops the start with one line naming it', async () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, 'org.sqlite');
    const holder = new Database(file);
    try {
      holder.pragma('locking_mode = EXCLUSIVE');
      holder.exec('CREATE TABLE hold (x INTEGER)'); // a write takes the exclusive lock, kept until close
      const line = await expectOneLineFailure(run(ENTRY.embedded, { DATA_DIR: dataDir, PORT: String(await freePort()), SUBGRAPH_PORTS: String(await freePortRun(4)) }));
      expect(line).toContain(file);
      expect(line).toMatch(/locked/);
    } finally {
      holder.close();
    }
  });
});

describe('a clean start and stop', () => {
  it('npm start: ready, /healthz answers, SIGTERM exits 0', async () => {
    const port = await freePort();
    const spawned = run(ENTRY.embedded, { DATA_DIR: tempDir(), PORT: String(port), SUBGRAPH_PORTS: String(await freePortRun(4)) });
    await spawned.waitFor(/Cascade is ready/);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    spawned.child.kill('SIGTERM');
    expect(await spawned.exited).toEqual({ code: 0, signal: null });
    expect(spawned.stderr()).toBe('');
  });

  it('a standalone service: SIGTERM exits 0 (not killed by the signal Apollo re-raises)', async () => {
    const spawned = run(ENTRY.org, { DATA_DIR: tempDir(), PORT: String(await freePort()), LOG_LEVEL: 'info' });
    await spawned.waitFor(/org subgraph listening/);
    spawned.child.kill('SIGTERM');
    expect(await spawned.exited).toEqual({ code: 0, signal: null });
  });
});
