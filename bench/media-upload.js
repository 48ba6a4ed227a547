// Upload throughput through the gateway's public address: a 50 MiB file PUT to an upload URL
// (gateway → media service → storage), then downloaded again; MiB/s and the peak RSS of the
// gateway and media processes. Cascade runs as separate processes (org, campaigns, media,
// feeds, gateway), so the load generator does not share their event loop or memory.
//   node bench/media-upload.js [sizeMiB=50] [rounds=5]
//   S3: S3_ENDPOINT=… S3_BUCKET=… S3_ACCESS_KEY_ID=… S3_SECRET_ACCESS_KEY=… node bench/media-upload.js
const { spawn } = require('node:child_process');
const { createHash, randomBytes } = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { GraphQLClient } = require('@cascade/app');
const { dropDatabases } = require('./common');

const ROOT = path.resolve(__dirname, '..');
const SERVICES = ['org', 'campaigns', 'media', 'feeds'];
const sizeMiB = Number(process.argv[2] ?? 50);
const rounds = Number(process.argv[3] ?? 5);
const basePort = 4700;

async function waitReady(url, ms = 30000) {
  const started = Date.now();
  while (Date.now() - started < ms) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} not ready`);
}

/** kB from /proc/<pid>/status (VmRSS now, VmHWM the peak so far). */
function memory(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)[1]);
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

/** Samples VmRSS every 10 ms while `work` runs: the peak during it (VmHWM also counts start-up). */
async function peakDuring(pids, work) {
  const peak = Object.fromEntries(Object.keys(pids).map((k) => [k, 0]));
  const timer = setInterval(() => {
    for (const [k, pid] of Object.entries(pids)) peak[k] = Math.max(peak[k], memory(pid).rss);
  }, 10);
  try {
    const result = await work();
    return { result, peak };
  } finally {
    clearInterval(timer);
  }
}

function put(url, file, size) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'PUT', headers: { 'content-length': String(size), 'content-type': 'application/octet-stream' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(Buffer.concat(chunks).toString()) }));
    });
    req.on('error', reject);
    fs.createReadStream(file).pipe(req);
  });
}

function get(url) {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      const hash = createHash('sha256');
      let bytes = 0;
      res.on('data', (c) => {
        bytes += c.length;
        hash.update(c);
      });
      res.on('end', () => resolve({ status: res.statusCode, bytes, sha256: hash.digest('hex') }));
    }).on('error', reject);
  });
}

const mib = (kb) => Math.round(kb / 1024);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-bench-media-'));
  const databaseUrl = process.env.DATABASE_URL ? `${process.env.DATABASE_URL}_media` : undefined;
  await dropDatabases(databaseUrl);
  const urls = Object.fromEntries(SERVICES.map((s, i) => [s, `http://127.0.0.1:${basePort + 1 + i}/graphql`]));
  const env = {
    ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', DATA_DIR: dataDir, HOST: '127.0.0.1',
    JWT_SECRET: 'bench-jwt-secret-0123456789', INTERNAL_SECRET: 'bench-internal-secret-0123456789',
    ROOT_ADMIN_EMAIL: 'root@bench.test', ROOT_ADMIN_PASSWORD: 'bench-root-password', DEMO_DATA: 'false',
    DATABASE_URL: databaseUrl ?? '', REDIS_URL: '',
    ORG_URL: urls.org, CAMPAIGNS_URL: urls.campaigns, MEDIA_URL: urls.media, FEEDS_URL: urls.feeds,
  };
  const children = {};
  const file = path.join(dataDir, 'upload.pdf');
  try {
    for (const [i, service] of SERVICES.entries()) {
      children[service] = spawn(process.execPath, [path.join(ROOT, `services/${service}/dist/main.js`)], { env: { ...env, PORT: String(basePort + 1 + i) }, stdio: 'inherit' });
      await waitReady(urls[service].replace('/graphql', '/readyz'));
    }
    children.gateway = spawn(process.execPath, [path.join(ROOT, 'gateway/dist/main.js')], { env: { ...env, PORT: String(basePort) }, stdio: 'inherit' });
    const gatewayUrl = `http://127.0.0.1:${basePort}/graphql`;
    const publicBase = `http://127.0.0.1:${basePort}`;
    await waitReady(`${publicBase}/healthz`);

    // a PDF of sizeMiB (the header is what the type check reads; the rest is random)
    const size = sizeMiB * 1024 * 1024;
    const fd = fs.openSync(file, 'w');
    const header = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1');
    fs.writeSync(fd, header);
    let written = header.length;
    const block = randomBytes(1024 * 1024);
    while (written < size - 6) {
      const n = Math.min(block.length, size - 6 - written);
      fs.writeSync(fd, block, 0, n);
      written += n;
    }
    fs.writeSync(fd, Buffer.from('%%EOF\n'));
    fs.closeSync(fd);
    const expected = createHash('sha256').update(fs.readFileSync(file)).digest('hex');

    const gql = new GraphQLClient(gatewayUrl);
    const root = await gql.signIn('root@bench.test', 'bench-root-password');
    const tenant = (await root.run('mutation { createTenant(input: { name: "第八师", level: CITY }) { id } }')).createTenant.id;
    await root.run('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', { i: { tenantId: tenant, email: 'editor@bench.test', name: '编辑', password: 'bench-password', role: 'EDITOR' } });
    const editor = await gql.signIn('editor@bench.test', 'bench-password');

    const pids = { gateway: children.gateway.pid, media: children.media.pid };
    const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, memory(pid).rss]));
    const runs = [];
    for (let round = 0; round < rounds + 1; round++) {
      const direct = round === rounds; // the last round bypasses the gateway: what the proxy costs
      const ticket = (await editor.run('mutation($i: RequestUploadInput!) { requestUpload(input: $i) { uploadUrl asset { id } } }', {
        i: { title: '展板印刷文件', kind: 'DISPLAY_BOARD', contentType: 'application/pdf', fileName: 'board.pdf', byteSize: size },
      })).requestUpload;
      const target = `${direct ? urls.media.replace('/graphql', '') : publicBase}${ticket.uploadUrl}`;
      const started = process.hrtime.bigint();
      const { result: up, peak } = await peakDuring(pids, () => put(target, file, size));
      const uploadSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (up.status !== 200 || up.body.sha256 !== expected) throw new Error(`upload failed: ${JSON.stringify(up)}`);
      const { url } = (await editor.run('query($id: ID!) { asset(id: $id) { url } }', { id: ticket.asset.id })).asset;
      const t0 = process.hrtime.bigint();
      const down = await get(url.startsWith('http') ? url : `${publicBase}${url}`);
      const downloadSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
      if (down.status !== 200 || down.sha256 !== expected) throw new Error(`download failed: ${JSON.stringify(down)}`);
      runs.push({ direct, uploadMiBs: sizeMiB / uploadSeconds, downloadMiBs: sizeMiB / downloadSeconds, peak });
    }
    const viaGateway = runs.filter((r) => !r.direct);
    const directRun = runs.find((r) => r.direct);
    const after = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, memory(pid)]));
    console.log(JSON.stringify({
      bench: 'media-upload',
      storage: env.S3_BUCKET ? 's3' : 'local disk',
      database: databaseUrl ? 'mysql' : 'sqlite',
      sizeMiB,
      rounds,
      uploadMiBsMedian: +median(viaGateway.map((r) => r.uploadMiBs)).toFixed(1),
      uploadMiBsAll: viaGateway.map((r) => +r.uploadMiBs.toFixed(1)),
      uploadMiBsDirectToMedia: +directRun.uploadMiBs.toFixed(1),
      downloadMiBsMedian: +median(viaGateway.map((r) => r.downloadMiBs)).toFixed(1),
      rssBeforeMiB: { gateway: mib(before.gateway), media: mib(before.media) },
      rssPeakDuringUploadsMiB: {
        gateway: mib(Math.max(...viaGateway.map((r) => r.peak.gateway))),
        media: mib(Math.max(...runs.map((r) => r.peak.media))),
      },
      vmHwmMiB: { gateway: mib(after.gateway.hwm), media: mib(after.media.hwm) },
    }));
  } finally {
    for (const child of Object.values(children)) child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await dropDatabases(databaseUrl);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
