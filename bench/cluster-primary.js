'use strict';
/**
 * K processes of one server behind one port, with node:cluster: the primary accepts each
 * connection and hands it to a worker in turn (round robin), then the worker owns the socket.
 *   node bench/cluster-primary.js <script> <K> [--cpu-prof-dir DIR]
 * Every message from this process's parent (IPC) is passed on to every worker (the bare
 * server's events); the primary answers {type:'workers', pids} once every worker is online, and
 * SIGTERM stops the workers and waits for them (so their CPU profiles are written).
 * Node 20 has no SO_REUSEPORT in net (`reusePort` comes with Node 22.12), hence node:cluster.
 */
const cluster = require('node:cluster');
const path = require('node:path');

const [script, countArg] = process.argv.slice(2);
const count = Number(countArg);
const profileAt = process.argv.indexOf('--cpu-prof-dir');
const execArgv = profileAt === -1 ? [] : ['--cpu-prof', `--cpu-prof-dir=${process.argv[profileAt + 1]}`];
if (!script || !(count > 0)) throw new Error('usage: cluster-primary.js <script> <K> [--cpu-prof-dir DIR]');

cluster.setupPrimary({ exec: path.resolve(script), execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
cluster.schedulingPolicy = cluster.SCHED_RR;
const workers = Array.from({ length: count }, () => cluster.fork());
let online = 0;
let stopping = false;
cluster.on('online', () => {
  online++;
  if (online === count && process.send) process.send({ type: 'workers', pids: workers.map((w) => w.process.pid) });
});
cluster.on('exit', (worker, code, signal) => {
  if (!stopping) {
    process.stderr.write(`cluster-primary: worker ${worker.process.pid} exited (${code ?? signal})\n`);
    process.exit(1);
  }
  if (Object.keys(cluster.workers).length === 0) process.exit(0);
});
process.on('message', (msg) => {
  for (const worker of workers) if (worker.isConnected()) worker.send(msg);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    stopping = true;
    for (const worker of workers) worker.process.kill('SIGTERM');
    setTimeout(() => process.exit(0), 15_000).unref();
  });
}
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
