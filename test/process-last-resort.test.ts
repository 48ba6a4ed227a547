import path from 'node:path';
import { childEnv, spawnNode, Spawned } from './helpers/spawned';

/**
 * Issue 9, item 1 (process part): the last-resort handlers every entry point installs through
 * the kernel's runProcess. The real causes of stray rejections are fixed where they are; these
 * tests need a way to cause one on purpose, so they run a test-only child process (the kernel's
 * runProcess around a tiny HTTP server, test/process-last-resort-child.js) rather than adding a
 * backdoor to a production route.
 */
const CHILD = path.resolve(__dirname, 'process-last-resort-child.js');
const children: Spawned[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
});

async function startChild(...args: string[]): Promise<{ spawned: Spawned; base: string }> {
  const spawned = spawnNode(CHILD, childEnv({}), args);
  children.push(spawned);
  await spawned.waitFor(/"listening":\d+/);
  const port = JSON.parse(spawned.stdout().split('\n').find((l) => l.includes('"listening"'))!).listening;
  return { spawned, base: `http://127.0.0.1:${port}` };
}

/** The JSON log lines the child wrote on stdout. */
function logLines(spawned: Spawned): any[] {
  return spawned
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line))
    .filter((entry) => 'level' in entry);
}

it('an unhandled promise rejection is logged as JSON with its error, and the process keeps serving', async () => {
  const { spawned, base } = await startChild();
  expect(await (await fetch(`${base}/reject`)).text()).toBe('ok');
  await spawned.waitFor(/unhandled promise rejection/);
  const [entry] = logLines(spawned).filter((l) => l.msg.startsWith('unhandled promise rejection'));
  expect(entry).toMatchObject({ level: 'error', err: { message: 'boom from a voided promise' } });
  expect(entry.err.stack).toContain('process-last-resort-child.js');
  // still serving, on the same process
  expect(await (await fetch(`${base}/`)).text()).toBe('ok');
  expect(spawned.child.exitCode).toBeNull();
  spawned.child.kill('SIGTERM');
  expect(await spawned.exited).toEqual({ code: 0, signal: null });
  expect(spawned.stdout()).toContain('"stopped":true');
});

it('an uncaught exception is logged fatal once, the server is stopped, and the exit code is 1', async () => {
  const { spawned, base } = await startChild();
  await fetch(`${base}/throw`);
  expect(await spawned.exited).toEqual({ code: 1, signal: null });
  const fatal = logLines(spawned).filter((l) => l.level === 'fatal');
  expect(fatal).toHaveLength(1);
  expect(fatal[0]).toMatchObject({ msg: 'uncaught exception; stopping', err: { message: 'kaboom from a timer' } });
  expect(spawned.stdout()).toContain('"stopped":true'); // the graceful stop ran before the exit
  expect(spawned.stderr()).toBe('');
});

it('a stop that never ends is cut off at its bound: exit code 1 and a line saying so', async () => {
  const { spawned } = await startChild('hang-on-stop');
  spawned.child.kill('SIGTERM');
  expect(await spawned.exited).toEqual({ code: 1, signal: null });
  expect(logLines(spawned).map((l) => l.msg)).toContain('stop took longer than its bound; exiting anyway');
});

it('a second SIGTERM while stopping neither stops twice nor kills the process', async () => {
  const { spawned } = await startChild();
  spawned.child.kill('SIGTERM');
  spawned.child.kill('SIGTERM');
  expect(await spawned.exited).toEqual({ code: 0, signal: null });
  expect(spawned.stdout().match(/"stopped":true/g)).toHaveLength(1);
});
