import { LocalStorage, receive, Sniffer, SniffResult } from '@cascade/media';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';

/**
 * The sniffer's budgets with real worker threads: a parser that never answers or spins forever
 * (what file-type 16.5.4 did on a crafted ASF header, CVE-2026-31808) costs one time budget, is
 * terminated, and the next sniff runs on a fresh worker; a worker that crashes answers 'failed'.
 * The hostile workers below wrap the real one (dist/services/sniff-worker.js): only input that
 * starts with their marker byte makes them misbehave, everything else is sniffed for real.
 */
const REAL_WORKER = path.resolve(__dirname, '../services/media/dist/services/sniff-worker.js');
const MARKER = 0xee;
const BUDGET_MS = 300;
/** A liveness bound, not a measurement: well above the budget, far below "hangs". */
const PROMPTLY_MS = 10_000;

let dir: string;
const workers: Record<'spins' | 'silent' | 'crashes' | 'exits' | 'counts', string> = {} as any;
const sniffers: Sniffer[] = [];

const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
const marked = (n = 200) => Buffer.concat([Buffer.from([MARKER]), Buffer.alloc(n - 1, 1)]);

function sniffer(worker: keyof typeof workers | null, options: { maxBytes?: number } = {}) {
  const s = new Sniffer({ timeoutMs: BUDGET_MS, maxBytes: options.maxBytes ?? 64 * 1024, workerFile: worker ? workers[worker] : undefined });
  sniffers.push(s);
  return s;
}

async function timed(p: Promise<SniffResult>) {
  const started = Date.now();
  const result = await p;
  return { result, ms: Date.now() - started };
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cascade-sniff-'));
  const wrap = (name: keyof typeof workers, onMarked: string) => {
    workers[name] = path.join(dir, `${name}.js`);
    writeFileSync(
      workers[name],
      `const { parentPort } = require('node:worker_threads');
       const unanswered = new Set();
       const post = parentPort.postMessage.bind(parentPort);
       parentPort.postMessage = (message) => { if (!unanswered.has(message.id)) post(message); };
       parentPort.on('message', ({ id, bytes }) => { if (bytes[0] === ${MARKER}) { ${onMarked} } });
       require(${JSON.stringify(REAL_WORKER)});`,
    );
  };
  wrap('spins', 'for (;;) {}');
  wrap('silent', 'unanswered.add(id);');
  wrap('crashes', 'throw new Error("parser crashed");');
  wrap('exits', 'process.exit(3);');
  workers.counts = path.join(dir, 'counts.js');
  writeFileSync(workers.counts, `require('node:worker_threads').parentPort.on('message', function ({ id, bytes }) {
    this.postMessage({ id, type: { ext: 'n', mime: String(bytes.length) } });
  }).postMessage({ ready: true });`);
});
afterAll(async () => {
  await Promise.all(sniffers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('the sniffer (worker thread, time and byte budget)', () => {
  it('sniffs honest input with the real worker', async () => {
    expect(await sniffer(null).sniff(png)).toEqual({ ok: true, type: { ext: 'png', mime: 'image/png' } });
  });

  it('looks at no more than its byte budget', async () => {
    const s = sniffer('counts', { maxBytes: 1024 });
    expect(await s.sniff(Buffer.alloc(10_000))).toEqual({ ok: true, type: { ext: 'n', mime: '1024' } });
    expect(await s.sniff(Buffer.alloc(100))).toEqual({ ok: true, type: { ext: 'n', mime: '100' } });
  });

  it.each([['spins forever', 'spins'], ['never answers', 'silent']] as const)(
    'a parser that %s answers timeout within the budget; the next sniff runs on a fresh worker',
    async (_label, worker) => {
      const s = sniffer(worker);
      const stuck = await timed(s.sniff(marked()));
      expect(stuck.result).toEqual({ ok: false, reason: 'timeout' });
      expect(stuck.ms).toBeLessThan(PROMPTLY_MS);
      expect(await s.sniff(png)).toEqual({ ok: true, type: { ext: 'png', mime: 'image/png' } });
      // and again: each stuck sniff costs one budget, never the sniffer
      expect((await s.sniff(marked())).ok).toBe(false);
      expect(await s.sniff(png)).toEqual({ ok: true, type: { ext: 'png', mime: 'image/png' } });
    },
  );

  it('sniffs queued behind a stuck one all get their answers, in order', async () => {
    const s = sniffer('spins');
    const results = await Promise.all([s.sniff(marked()), s.sniff(png), s.sniff(marked()), s.sniff(png), s.sniff(png)]);
    expect(results).toEqual([
      { ok: false, reason: 'timeout' },
      { ok: true, type: { ext: 'png', mime: 'image/png' } },
      { ok: false, reason: 'timeout' },
      { ok: true, type: { ext: 'png', mime: 'image/png' } },
      { ok: true, type: { ext: 'png', mime: 'image/png' } },
    ]);
  });

  it.each([['throws', 'crashes'], ['exits', 'exits']] as const)('a worker that %s answers failed, and the next sniff works', async (_label, worker) => {
    const s = sniffer(worker);
    const [crashed, queued] = await Promise.all([s.sniff(marked()), s.sniff(png)]);
    expect(crashed).toEqual({ ok: false, reason: 'failed' });
    expect(queued).toEqual({ ok: true, type: { ext: 'png', mime: 'image/png' } });
    expect(await s.sniff(png)).toEqual({ ok: true, type: { ext: 'png', mime: 'image/png' } });
  });

  it('a worker file that cannot start answers failed, never hangs', async () => {
    const s = new Sniffer({ timeoutMs: BUDGET_MS, maxBytes: 1024, workerFile: path.join(dir, 'missing.js') });
    sniffers.push(s);
    const { result, ms } = await timed(s.sniff(png));
    expect(result.ok).toBe(false);
    expect(ms).toBeLessThan(PROMPTLY_MS);
  });

  it('close() answers what is still waiting', async () => {
    const s = sniffer('spins');
    const waiting = [s.sniff(marked()), s.sniff(png)];
    await s.close();
    expect(await Promise.all(waiting)).toEqual([{ ok: false, reason: 'failed' }, { ok: false, reason: 'failed' }]);
  });
});

describe('an upload whose sniff times out or fails stores nothing', () => {
  let storage: LocalStorage;
  let server: http.Server;
  let url: string;
  let current: Sniffer;
  let photo: Buffer; // a real PNG larger than the sniff's byte budget

  beforeAll(async () => {
    storage = new LocalStorage(path.join(dir, 'media'));
    await storage.init();
    server = http.createServer(async (req, res) => {
      const key = `tenants/1/${req.url!.slice(1)}/${'a'.repeat(32)}`;
      const result = await receive(req, { storage, key, declaredSize: Number(req.headers['content-length']), declaredType: 'image/png', sniffer: current });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    photo = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#c81e1e' } }).png({ compressionLevel: 0 }).toBuffer();
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** Every file under the storage root, partial uploads (.incoming) included. */
  const files = () => readdirSync(storage.root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(storage.root, path.join(e.parentPath, e.name)));

  it.each([
    ['a sniff that times out', 'spins', /could not be recognised in time/],
    ['a sniff whose worker crashes', 'crashes', /could not be recognised/],
  ] as const)('%s: 415, nothing under the key or in .incoming', async (_label, worker, reason) => {
    current = sniffer(worker);
    const res = await fetch(`${url}/7`, { method: 'PUT', body: marked(100_000) });
    expect(await res.json()).toEqual({ ok: false, status: 415, code: 'BAD_USER_INPUT', reason: expect.stringMatching(reason) });
    expect(files()).toEqual([]);
    // the control: the same sniffer and receive store an honest PNG's bytes
    const honest = await fetch(`${url}/8`, { method: 'PUT', body: photo });
    expect(await honest.json()).toMatchObject({ ok: true });
    expect(files()).toEqual([`tenants/1/8/${'a'.repeat(32)}`]);
    await storage.delete(`tenants/1/8/${'a'.repeat(32)}`);
  });
});
