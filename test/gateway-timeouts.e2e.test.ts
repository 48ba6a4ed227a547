import http from 'node:http';
import sharp from 'sharp';
import { startTestPlatform, TestPlatform } from './helpers/platform';
import { buildTree, TreeKey, TreeNode } from './helpers/tree';

/**
 * Time bounds at the gateway: a /graphql body must arrive within REQUEST_TIMEOUT_SECONDS (a
 * trickled body would hold a connection and its buffer), while a media transfer has no total
 * bound — a large upload may take minutes — only an idle one (MEDIA_IDLE_TIMEOUT_SECONDS).
 */
let t: TestPlatform;
let n: Record<TreeKey, TreeNode>;
let base: string;
let png: Buffer;

beforeAll(async () => {
  t = await startTestPlatform('gwtime', { REQUEST_TIMEOUT_SECONDS: '1', MEDIA_IDLE_TIMEOUT_SECONDS: '1' });
  base = t.platform.gateway.url.replace(/\/graphql$/, '');
  n = await buildTree(t);
  png = await sharp({ create: { width: 400, height: 300, channels: 3, background: { r: 200, g: 30, b: 30 } } }).png().toBuffer();
}, 60_000);
afterAll(async () => {
  await t?.stop();
});

/** Sends `body` in `parts` pieces, `gapMs` apart (after `stallAfter` pieces, one gap of `stallMs`). */
function trickle(options: { method: string; path: string; headers: Record<string, string>; body: Buffer; parts: number; gapMs: number; stallAfter?: number; stallMs?: number }) {
  const url = new URL(base);
  return new Promise<{ status: number; text: string } | { error: string }>((resolve) => {
    const req = http.request({ host: url.hostname, port: url.port, method: options.method, path: options.path, headers: { ...options.headers, 'content-length': String(options.body.length) }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      res.on('error', (err) => resolve({ error: err.message }));
    });
    req.on('error', (err) => resolve({ error: (err as NodeJS.ErrnoException).code ?? err.message }));
    const size = Math.ceil(options.body.length / options.parts);
    let sent = 0;
    const next = (index: number) => {
      if (req.destroyed) return;
      const piece = options.body.subarray(sent, sent + size);
      sent += piece.length;
      if (sent >= options.body.length) return req.end(piece);
      req.write(piece);
      const wait = index + 1 === options.stallAfter ? options.stallMs! : options.gapMs;
      setTimeout(() => next(index + 1), wait);
    };
    next(0);
  });
}

async function uploadTicket() {
  const r = await n.cityA1.admin.run('mutation($i: RequestUploadInput!) { requestUpload(input: $i) { uploadUrl asset { id } } }', {
    i: { title: '展板', kind: 'PHOTO', fileName: 'board.png', contentType: 'image/png', byteSize: png.length },
  });
  return { path: new URL(r.requestUpload.uploadUrl, base).pathname, id: r.requestUpload.asset.id as string };
}

async function assetStatus(id: string): Promise<string> {
  return (await n.cityA1.admin.run('query($id: ID!) { asset(id: $id) { status } }', { id })).asset.status;
}

it('refuses a /graphql body that is still arriving after REQUEST_TIMEOUT_SECONDS with 408', async () => {
  const body = Buffer.from(JSON.stringify({ query: `{ me { email } } # ${'x'.repeat(2000)}` }));
  const res = await trickle({ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', authorization: `Bearer ${n.cityA1.admin.token}` }, body, parts: 10, gapMs: 300 });
  expect('status' in res && res.status).toBe(408);
  expect('status' in res && JSON.parse(res.text).errors[0].extensions.code).toBe('BAD_REQUEST');
  expect((await n.cityA1.admin.request('{ me { email } }')).data.me.email).toBe('admin@citya1.test');
});

it('accepts a /graphql body sent in pieces within the deadline', async () => {
  const body = Buffer.from(JSON.stringify({ query: '{ me { email } }' }));
  const res = await trickle({ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', authorization: `Bearer ${n.cityA1.admin.token}` }, body, parts: 3, gapMs: 50 });
  expect('status' in res && res.status).toBe(200);
});

it('lets an upload take longer than REQUEST_TIMEOUT_SECONDS while bytes keep coming', async () => {
  const { path, id } = await uploadTicket();
  // 8 pieces 400 ms apart: 2.8 s in all, never 1 s silent
  const res = await trickle({ method: 'PUT', path, headers: { 'content-type': 'image/png' }, body: png, parts: 8, gapMs: 400 });
  expect('status' in res && res.status).toBe(200);
  expect(await assetStatus(id)).toBe('READY');
});

it('cuts an upload that goes silent for MEDIA_IDLE_TIMEOUT_SECONDS; the asset is REJECTED at once', async () => {
  const { path, id } = await uploadTicket();
  const res = await trickle({ method: 'PUT', path, headers: { 'content-type': 'image/png' }, body: png, parts: 4, gapMs: 50, stallAfter: 2, stallMs: 2500 });
  if ('status' in res) expect(res.status).toBe(408);
  else expect(res.error).toMatch(/ECONNRESET|EPIPE|socket hang up/);
  // the media service saw the upload interrupted: wait for its verdict
  const started = Date.now();
  while ((await assetStatus(id)) === 'PENDING' && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 100));
  expect(await assetStatus(id)).toBe('REJECTED');
});
