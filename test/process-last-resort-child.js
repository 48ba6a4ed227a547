// A test-only process for test/process-last-resort.test.ts: the kernel's runProcess around a
// small HTTP server whose routes misbehave on purpose, the way a bug in a real route would.
//   GET /reject  a promise rejected with nobody to catch it
//   GET /throw   an exception thrown outside any request handler's try (a timer)
//   anything else: "ok"
// Argument "hang-on-stop": stop() never ends (the stop bound must still end the process).
const http = require('node:http');
const { runProcess } = require('@cascade/kernel');

const hangOnStop = process.argv.includes('hang-on-stop');

runProcess(
  'last-resort-child',
  async () => {
    const server = http.createServer((req, res) => {
      if (req.url === '/reject') void Promise.reject(new Error('boom from a voided promise'));
      if (req.url === '/throw') setTimeout(() => { throw new Error('kaboom from a timer'); }, 0);
      res.end('ok');
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    process.stdout.write(JSON.stringify({ listening: server.address().port }) + '\n');
    return {
      stop: () =>
        hangOnStop
          ? new Promise(() => undefined)
          : new Promise((resolve) => server.close(() => (process.stdout.write(JSON.stringify({ stopped: true }) + '\n'), resolve()))),
    };
  },
  { stopBoundMs: hangOnStop ? 500 : 5000 },
);
