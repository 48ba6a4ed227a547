import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

/** The built entry points, as `npm start` and the containers run them. */
export const ENTRY = {
  embedded: path.resolve(__dirname, '../../app/dist/embedded.js'),
  gateway: path.resolve(__dirname, '../../gateway/dist/main.js'),
  org: path.resolve(__dirname, '../../services/org/dist/main.js'),
};

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A child Node process whose output is collected as it comes. */
export interface Spawned {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout+stderr match, rejects if the process exits first. */
  waitFor(pattern: RegExp): Promise<void>;
  exited: Promise<Exit>;
}

export function spawnNode(script: string, env: Record<string, string>, args: string[] = []): Spawned {
  const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((check) => check());
  child.stdout!.on('data', (chunk) => ((out += chunk), notify()));
  child.stderr!.on('data', (chunk) => ((err += chunk), notify()));
  const exited = new Promise<Exit>((resolve) => child.on('close', (code, signal) => (resolve({ code, signal }), notify())));
  let done = false;
  exited.then(() => (done = true));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(out + err)) return waiters.delete(check), resolve();
          if (done) waiters.delete(check), reject(new Error(`exited before ${pattern}:\n${out}\n${err}`));
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/**
 * Environment for an entry point: the parent's PATH and nothing that leaks in from the test
 * run (jest's NODE_ENV=test turns Apollo's own signal handling off, hiding real behaviour).
 */
export function childEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'development', DEMO_DATA: 'false', ...env };
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = await occupyPort(0);
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Listens on a port (0: any) so that another process cannot. */
export function occupyPort(port: number, host = '127.0.0.1'): Promise<net.Server> {
  const server = net.createServer((socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

/** Four ports in a row that are free now (the subgraphs' SUBGRAPH_PORTS … +3). */
export async function freePortRun(length: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = await freePort();
    const held: net.Server[] = [];
    try {
      for (let i = 0; i < length; i++) held.push(await occupyPort(first + i));
      return first;
    } catch {
      // one of them was taken: try another run
    } finally {
      await Promise.all(held.map((s) => new Promise((resolve) => s.close(resolve))));
    }
  }
  throw new Error('no run of free ports found');
}
