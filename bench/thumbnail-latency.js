'use strict';
/**
 * What thumbnailing large images does to everyone else: the latency of a trivial signed-in
 * query (`{ me { email } }`, gateway → org) sent every 20 ms, idle and while 4 large images
 * are uploaded at once, and the platform process's RSS.
 *
 *   npx tsc -b && node bench/thumbnail-latency.js [--rounds 3] [--uploads 4] [--modes after,before]
 *
 * The platform runs embedded (as `npm start`: gateway and subgraphs in one process, SQLite or
 * DATABASE_URL) in a forked child; this process generates the images, uploads them and sends
 * the probes, so its own work never delays the platform's event loop.
 * Modes (each in a fresh platform process):
 *   after   the code as it is: thumbnails queued (see `thumbnails.limit`), one libvips thread
 *           each, no sharp cache, at most 8192×6144 pixels
 *   before  the same code with the old behaviour put back at run time: no queue (all at once),
 *           sharp's default threads (one per core) and cache, and the old 100 MP pixel limit
 * Workloads: `50MP` = 8192×6144 interlaced PNGs (accepted either way: the queue's effect);
 * `100MP` = 10000×10000 interlaced PNGs (the old limit: decoded before, refused after).
 */
const { fork } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const { performance } = require('node:perf_hooks');
const { percentile } = require('./lib');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}

// ───────────────────────────── the platform (child process) ─────────────────────────────
async function platformChild(mode) {
  const sharp = require('sharp');
  const { thumbnails, thumbnailBounds } = require('@cascade/media');
  const { start } = require('./common');
  if (mode === 'before') {
    thumbnails.limit = Infinity;
    thumbnailBounds.maxPixels = 100_000_000;
    sharp.concurrency(os.availableParallelism());
    sharp.cache(true);
  }
  const t = await start(`thumbs_${mode}`, { MEDIA_MAX_IMAGE_BYTES: String(30 * 1024 * 1024) });
  const tenant = (await t.root.run('mutation { createTenant(input: { name: "第八师", level: CITY }) { id } }')).createTenant.id;
  await t.root.run('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
    i: { tenantId: tenant, email: 'editor@bench.test', name: '编辑', password: 'bench-password', role: 'EDITOR' },
  });
  const editor = await t.gql.signIn('editor@bench.test', 'bench-password');
  process.on('message', async (msg) => {
    if (msg === 'peak') process.send({ peak: thumbnails.peak, limit: thumbnails.limit, vips: sharp.concurrency() });
    if (msg === 'stop') {
      await t.stop();
      process.exit(0);
    }
  });
  process.send({ url: t.platform.gateway.url, token: editor.token });
}

// ───────────────────────────── probes and uploads (this process) ─────────────────────────────
/** VmRSS of a process, in MiB. */
const rssMiB = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

/** `{ me { email } }` every 20 ms until `until()` says stop; one at a time (a slow answer delays the next). */
async function probe(client, until) {
  const latencies = [];
  while (!until()) {
    const started = performance.now();
    const data = await client.run('{ me { email } }');
    if (data.me.email !== 'editor@bench.test') throw new Error('wrong answer');
    const ms = performance.now() - started;
    latencies.push(ms);
    await new Promise((r) => setTimeout(r, Math.max(0, 20 - ms)));
  }
  return latencies;
}

async function upload(client, base, image) {
  const { requestUpload } = await client.run('mutation($i: RequestUploadInput!) { requestUpload(input: $i) { uploadUrl } }', {
    i: { title: '展板', kind: 'DISPLAY_BOARD', fileName: 'board.png', contentType: 'image/png', byteSize: image.length },
  });
  const started = performance.now();
  const res = await fetch(`${base}${requestUpload.uploadUrl}`, { method: 'PUT', body: image });
  const body = await res.json();
  return { status: res.status, assetStatus: body.status ?? body.asset?.status, ms: performance.now() - started };
}

const round1 = (v) => Math.round(v * 10) / 10;
const summary = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return { n: sorted.length, p50: round1(percentile(sorted, 50)), p99: round1(percentile(sorted, 99)), max: round1(sorted.at(-1)) };
};

async function runMode(mode, images, { rounds, uploads }) {
  const child = fork(__filename, ['--platform', mode], { stdio: 'inherit' });
  process.on('exit', () => child.kill('SIGKILL'));
  const ready = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`platform exited ${code}`)));
  });
  const { GraphQLClient } = require('@cascade/app');
  const client = new GraphQLClient(ready.url, ready.token);
  const base = ready.url.replace(/\/graphql$/, '');
  const result = { mode };
  try {
    // warm-up, then idle
    await probe(client, ((n) => () => n-- <= 0)(50));
    const idleUntil = performance.now() + 3000;
    result.idle = { latencyMs: summary(await probe(client, () => performance.now() > idleUntil)), rssMiB: Math.round(rssMiB(child.pid)) };
    for (const [workload, image] of Object.entries(images)) {
      const latencies = [];
      const answers = [];
      let peakRss = 0;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMiB(child.pid))), 10);
      const rssBefore = rssMiB(child.pid);
      const started = performance.now();
      for (let r = 0; r < rounds; r++) {
        let done = false;
        const probing = probe(client, () => done);
        answers.push(...(await Promise.all(Array.from({ length: uploads }, () => upload(client, base, image)))));
        done = true;
        latencies.push(...(await probing));
      }
      clearInterval(sampler);
      const statuses = {};
      for (const a of answers) statuses[`${a.status} ${a.assetStatus ?? ''}`.trim()] = (statuses[`${a.status} ${a.assetStatus ?? ''}`.trim()] ?? 0) + 1;
      result[workload] = {
        latencyMs: summary(latencies),
        uploadMs: summary(answers.map((a) => a.ms)),
        answers: statuses,
        seconds: round1((performance.now() - started) / 1000),
        rssMiB: { before: Math.round(rssBefore), peak: Math.round(peakRss) },
      };
    }
    child.send('peak');
    const peak = await new Promise((resolve) => child.once('message', resolve));
    result.thumbnailsAtOnce = { peak: peak.peak, limit: peak.limit === null ? 'none' : peak.limit, vipsThreads: peak.vips };
  } finally {
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
  }
  return result;
}

async function main() {
  const rounds = Number(arg('rounds', 3));
  const uploads = Number(arg('uploads', 4));
  const modes = arg('modes', 'after,before').split(',');
  const sharp = require('sharp');
  const solid = (width, height) =>
    sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 30 } } }).png({ compressionLevel: 9, progressive: true }).toBuffer();
  const images = { '50MP': await solid(8192, 6144), '100MP': await solid(10000, 10000) };
  const machine = { date: new Date().toISOString(), nproc: os.availableParallelism(), cpu: os.cpus()[0]?.model, node: process.version, loadavg: os.loadavg().map((l) => l.toFixed(2)).join(' ') };
  console.log(JSON.stringify({ bench: 'thumbnail-latency', machine, rounds, uploads, imageBytes: Object.fromEntries(Object.entries(images).map(([k, v]) => [k, v.length])) }));
  for (const mode of modes) console.log(JSON.stringify(await runMode(mode, images, { rounds, uploads })));
}

if (process.argv.includes('--platform')) {
  platformChild(arg('platform')).catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
