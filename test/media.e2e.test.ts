import { GraphQLClient } from '@cascade/app';
import { mediaKey, signMediaToken } from '@cascade/media';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import sharp from 'sharp';
import { codeOf, PASSWORD, startTestPlatform, TestPlatform } from './helpers/platform';
import { buildTree, TreeKey, TreeNode } from './helpers/tree';
import { durableEventsSettled } from './helpers/durable';

/**
 * Media through the real gateway over HTTP: uploads (accepted, refused, nothing partial
 * left in storage), downloads, thumbnails, the cross-tenant matrix, printed quantities.
 */
let t: TestPlatform;
let n: Record<TreeKey, TreeNode>;
let base: string; // the gateway's public address
const ids: Record<string, string> = {};
const paths: Partial<Record<TreeKey, string>> = {};
const LIMIT = 4 * 1024 * 1024; // every per-kind limit in this test, so also the gateway's upload limit

const REQUEST = `mutation($i: RequestUploadInput!) { requestUpload(input: $i) { uploadUrl expiresAt asset { id status } } }`;
const ASSET = `query($id: ID!) { asset(id: $id) { id title kind status contentType byteSize sha256 url thumbnailUrl rejectionReason tags
  quantityProduced quantityDistributed campaign { id title } activity { id title } } }`;

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const abs = (url: string) => (url.startsWith('http') ? url : `${base}${url}`);

let png: Buffer;
let jpeg: Buffer;
let noisy: Buffer; // a PNG of about 1 MB: above the /graphql body limit
const pdf = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n' +
    '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\nxref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n' +
    '0000000058 00000 n \n0000000115 00000 n \ntrailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n',
);
const html = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(248, 0x01)]);
const mz = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510, 0x90)]);

async function ticket(who: GraphQLClient, input: Record<string, unknown>) {
  const r = await who.run(REQUEST, { i: { title: '展板', kind: 'DISPLAY_BOARD', ...input } });
  return r.requestUpload as { uploadUrl: string; expiresAt: string; asset: { id: string; status: string } };
}

async function put(url: string, body: Buffer | ReadableStream, headers: Record<string, string> = {}) {
  const init: RequestInit & { duplex?: string } = { method: 'PUT', body: body as any, headers };
  if (!(body instanceof Buffer)) init.duplex = 'half';
  const res = await fetch(abs(url), init);
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

/** A body sent in chunks without Content-Length (chunked transfer): only counting can stop it. */
function chunked(buf: Buffer, chunk = 16 * 1024): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= buf.length) return controller.close();
      controller.enqueue(new Uint8Array(buf.subarray(offset, offset + chunk)));
      offset += chunk;
    },
  });
}

async function upload(who: GraphQLClient, input: Record<string, unknown>, body: Buffer) {
  const tk = await ticket(who, { byteSize: body.length, ...input });
  const res = await put(tk.uploadUrl, body);
  return { ...tk, ...res, id: tk.asset.id };
}

async function asset(who: GraphQLClient, id: string) {
  return (await who.run(ASSET, { id })).asset;
}

/** Every file under DATA_DIR/media, relative, partial uploads (.incoming) included. */
function storedFiles(): string[] {
  const root = path.join(t.config.DATA_DIR, 'media');
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(dir, e.name), r);
      else out.push(r);
    }
  };
  walk(root, '');
  return out.sort();
}

const filesOf = (assetId: string) => storedFiles().filter((f) => f.split('/')[2] === assetId);

/** A token signed with the service's real key, as if a bug had issued it: the scope check must still hold. */
function mint(kind: 'upload' | 'file' | 'thumbnail', assetId: string, as: TreeKey, exp = Math.floor(Date.now() / 1000) + 300) {
  const token = signMediaToken(
    { kind, assetId: Number(assetId), tenantId: Number(n[as].tenantId), tenantPath: paths[as]!, userId: '1', exp },
    mediaKey(t.config.INTERNAL_SECRET!),
  );
  return kind === 'upload' ? `/media/upload/${token}` : `/media/download/${token}`;
}

/** Replaces the payload's field and keeps the old signature (a tampered URL). */
function tamper(url: string, change: (payload: any) => void): string {
  const [prefix, token] = [url.slice(0, url.lastIndexOf('/') + 1), url.slice(url.lastIndexOf('/') + 1)];
  const [payload, mac] = token.split('.');
  const json = JSON.parse(Buffer.from(payload, 'base64url').toString());
  change(json);
  return `${prefix}${Buffer.from(JSON.stringify(json)).toString('base64url')}.${mac}`;
}

beforeAll(async () => {
  t = await startTestPlatform('media', {
    MEDIA_MAX_IMAGE_BYTES: String(LIMIT),
    MEDIA_MAX_VIDEO_BYTES: String(LIMIT),
    MEDIA_MAX_DOCUMENT_BYTES: String(LIMIT),
  });
  base = t.platform.gateway.url.replace(/\/graphql$/, '');
  n = await buildTree(t);
  const org = t.platform.services.find((s) => s.name === 'org')!.dataSource;
  for (const key of Object.keys(n) as TreeKey[]) {
    paths[key] = (await org.query('SELECT tenant_path FROM tenants WHERE id = ?', [Number(n[key].tenantId)]))[0].tenant_path;
  }
  const campaign = async (key: TreeKey, title: string) => {
    const c = await n[key].admin.run('mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }', { i: { title, startsOn: '2024-04-20', endsOn: '2024-04-26' } });
    await n[key].admin.run('mutation($id: ID!) { publishCampaign(id: $id) { id } }', { id: c.createCampaign.id });
    return c.createCampaign.id as string;
  };
  const activity = async (key: TreeKey, campaignId: string) =>
    (await n[key].admin.run('mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }', {
      i: { campaignId, title: '宣传周启动仪式', kind: 'OPENING_CEREMONY', startsAt: '2024-04-20T02:00:00Z' },
    })).createActivity.id as string;
  ids.campA1 = await campaign('cityA1', '甲一市宣传周');
  ids.actA1 = await activity('cityA1', ids.campA1);
  ids.campA1b = await campaign('cityA1', '甲一市第二方案');
  ids.campA2 = await campaign('cityA2', '甲二市宣传周');
  ids.campProvA = await campaign('provA', '甲省宣传周');
  ids.campDistrict = await campaign('districtA1', '甲一区宣传周');
  ids.actDistrict = await activity('districtA1', ids.campDistrict);

  png = await sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .composite([{ input: Buffer.from('<svg width="400" height="200"><rect width="400" height="200" fill="#fff"/></svg>'), top: 300, left: 400 }])
    .png()
    .toBuffer();
  jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 20, g: 90, b: 160 } } }).jpeg({ quality: 85 }).toBuffer();
  const raw = Buffer.alloc(600 * 600 * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 2654435761) >>> 24;
  noisy = await sharp(raw, { raw: { width: 600, height: 600, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
});
afterAll(async () => {
  await t?.stop();
});

describe('accepted uploads', () => {
  it.each([
    ['PNG', () => png, 'image/png', '宣传周展板.png', 'DISPLAY_BOARD'],
    ['JPEG', () => jpeg, 'image/jpeg', 'ceremony.jpg', 'PHOTO'],
    ['PDF', () => pdf, 'application/pdf', '海报 (print).pdf', 'POSTER'],
  ] as const)('a %s ends READY with the right SHA-256, under the tenant’s prefix', async (label, body, contentType, fileName, kind) => {
    const bytes = body();
    const r = await upload(n.cityA1.admin, { contentType, fileName, kind, title: label, tags: ['八师', ' 宣传周 ', '八师'], campaignId: ids.campA1 }, bytes);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ id: r.id, status: 'READY', contentType, byteSize: bytes.length, sha256: sha(bytes) });
    const read = await asset(n.cityA1.admin, r.id);
    expect(read).toMatchObject({ status: 'READY', contentType, byteSize: bytes.length, sha256: sha(bytes), tags: ['八师', '宣传周'], campaign: { id: ids.campA1, title: '甲一市宣传周' } });
    ids[label] = r.id;
    // stored under a generated name in the tenant's prefix: nothing of the client's file name
    const files = filesOf(r.id);
    expect(files.length).toBe(contentType.startsWith('image/') ? 2 : 1);
    for (const f of files) expect(f).toMatch(new RegExp(`^tenants/${n.cityA1.tenantId}/${r.id}/[a-f0-9]{32}(\\.thumb\\.webp)?$`));
  });

  it('downloads serve the bytes with their true type, nosniff, and attachment except images and video', async () => {
    const cases: [string, Buffer, string, string][] = [
      ['PNG', png, 'image/png', 'inline'],
      ['JPEG', jpeg, 'image/jpeg', 'inline'],
      ['PDF', pdf, 'application/pdf', 'attachment'],
    ];
    for (const [label, bytes, type, disposition] of cases) {
      const { url } = await asset(n.cityA1.admin, ids[label]);
      expect(url).toMatch(/^\/media\/download\//);
      const res = await fetch(abs(url)); // no Authorization: the URL is the capability
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(type);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-disposition')).toMatch(new RegExp(`^${disposition}; filename=`));
      expect(sha(Buffer.from(await res.arrayBuffer()))).toBe(sha(bytes));
      const head = await fetch(abs(url), { method: 'HEAD' });
      expect([head.status, head.headers.get('content-length')]).toEqual([200, String(bytes.length)]);
    }
    const pdfUrl = (await asset(n.cityA1.admin, ids.PDF)).url;
    expect((await fetch(abs(pdfUrl))).headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('海报 ')}%28print%29.pdf`);
  });

  it('images get a WebP thumbnail; documents none', async () => {
    const { thumbnailUrl } = await asset(n.cityA1.admin, ids.PNG);
    const res = await fetch(abs(thumbnailUrl));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/webp');
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 480, height: 320 });
    expect((await asset(n.cityA1.admin, ids.PDF)).thumbnailUrl).toBeNull();
  });

  it('the /graphql body limit does not apply to uploads (1 MB through the gateway)', async () => {
    expect(noisy.length).toBeGreaterThan(t.config.MAX_BODY_BYTES);
    const r = await upload(n.cityA1.admin, { contentType: 'image/png', fileName: 'noise.png', kind: 'PHOTO' }, noisy);
    expect([r.status, r.json.sha256]).toEqual([200, sha(noisy)]);
    // a chunked body (no Content-Length) is counted as it streams
    const tk = await ticket(n.cityA1.admin, { contentType: 'image/png', fileName: 'noise2.png', kind: 'PHOTO', byteSize: noisy.length });
    const res = await put(tk.uploadUrl, chunked(noisy));
    expect([res.status, res.json.sha256]).toEqual([200, sha(noisy)]);
  });

  it('Campaign.assets and Activity.assets list what the caller may read', async () => {
    const photo = await upload(n.cityA1.admin, { contentType: 'image/jpeg', fileName: 'a.jpg', kind: 'PHOTO', activityId: ids.actA1 }, jpeg);
    expect(photo.status).toBe(200);
    const q = 'query($c: ID!, $a: ID!) { campaign(id: $c) { assets { id } photos: assets(kind: PHOTO) { id } } activity(id: $a) { assets { id activity { id } campaign { id } } } }';
    const own = await n.cityA1.admin.run(q, { c: ids.campA1, a: ids.actA1 });
    expect(own.campaign.assets.map((a: any) => a.id)).toEqual(expect.arrayContaining([ids.PNG, ids.JPEG, ids.PDF, photo.id]));
    expect(own.campaign.photos.map((a: any) => a.id)).toEqual(expect.arrayContaining([ids.JPEG, photo.id]));
    expect(own.campaign.photos.map((a: any) => a.id)).not.toContain(ids.PNG);
    // an activity brings its campaign
    expect(own.activity.assets).toEqual([{ id: photo.id, activity: { id: ids.actA1 }, campaign: { id: ids.campA1 } }]);
    const parent = await n.provA.admin.run(q, { c: ids.campA1, a: ids.actA1 });
    expect(parent.activity.assets.map((a: any) => a.id)).toEqual([photo.id]);
    const sibling = await n.cityA2.admin.run(q, { c: ids.campA1, a: ids.actA1 });
    expect(sibling).toEqual({ campaign: null, activity: null });
  });
});

describe('refused uploads leave nothing behind', () => {
  async function refused(input: Record<string, unknown>, body: Buffer | (() => ReadableStream), status: number, reason: RegExp, byteSize?: number) {
    const size = byteSize ?? (body instanceof Buffer ? body.length : 0);
    const tk = await ticket(n.cityA1.admin, { byteSize: size, ...input });
    const res = await put(tk.uploadUrl, body instanceof Buffer ? body : body());
    expect(res.status).toBe(status);
    expect(res.json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(res.json.errors[0].message).toMatch(reason);
    const read = await asset(n.cityA1.admin, tk.asset.id);
    expect(read).toMatchObject({ status: 'REJECTED', url: null, sha256: null });
    expect(read.rejectionReason).toMatch(reason);
    expect(filesOf(tk.asset.id)).toEqual([]);
    return tk;
  }

  it('HTML named .png', async () => {
    await refused({ contentType: 'image/png', fileName: 'board.png' }, html, 415, /not image\/png/);
  });

  it.each([
    ['an ELF executable', elf, /application\/x-elf, not the declared application\/pdf/],
    ['a Windows executable', mz, /application\/x-msdownload, not the declared application\/pdf/],
  ])('%s named .pdf', async (_label, body, reason) => {
    await refused({ contentType: 'application/pdf', fileName: 'manual.pdf', kind: 'DOCUMENT' }, body, 415, reason);
  });

  it('a JPEG declared as PNG', async () => {
    await refused({ contentType: 'image/png', fileName: 'x.png' }, jpeg, 415, /image\/jpeg, not the declared image\/png/);
  });

  it('a body larger than the declared size: by Content-Length, and counted when chunked', async () => {
    const bigger = Buffer.concat([png, Buffer.alloc(5000, 7)]);
    await refused({ contentType: 'image/png', fileName: 'x.png' }, bigger, 413, /larger than the declared/, png.length);
    const noisyBigger = Buffer.concat([noisy, Buffer.alloc(300_000, 1)]);
    await refused({ contentType: 'image/png', fileName: 'x.png' }, () => chunked(noisyBigger), 413, /larger than the declared/, noisy.length);
  });

  it('a body shorter than declared', async () => {
    await refused({ contentType: 'image/png', fileName: 'x.png' }, () => chunked(noisy.subarray(0, 200_000)), 400, /fewer than the declared/, noisy.length);
  });

  it('an upload cut off mid-way', async () => {
    const tk = await ticket(n.cityA1.admin, { contentType: 'image/png', fileName: 'cut.png', byteSize: noisy.length });
    await new Promise<void>((resolve) => {
      const req = http.request(abs(tk.uploadUrl), { method: 'PUT', headers: { 'content-length': String(noisy.length) } });
      req.on('error', () => resolve());
      req.write(noisy.subarray(0, 300_000), () => setTimeout(() => {
        req.destroy();
        resolve();
      }, 200));
    });
    let read: any;
    for (let i = 0; i < 50; i++) {
      read = await asset(n.cityA1.admin, tk.asset.id);
      if (read.status !== 'PENDING') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(read).toMatchObject({ status: 'REJECTED', rejectionReason: 'The upload was interrupted' });
    expect(filesOf(tk.asset.id)).toEqual([]);
  });

  it('no partial file anywhere, and only READY assets have files', async () => {
    const files = storedFiles();
    expect(files.filter((f) => f.startsWith('.incoming/'))).toEqual([]);
    const owners = new Set(files.map((f) => f.split('/')[2]));
    for (const id of owners) expect((await asset(n.cityA1.admin, id)).status).toBe('READY');
  });
});

describe('requestUpload checks the declaration', () => {
  it.each([
    ['a disallowed type', { contentType: 'text/html', fileName: 'x.html' }],
    ['an executable type', { contentType: 'application/x-msdownload', fileName: 'setup.exe' }],
    ['SVG (scriptable)', { contentType: 'image/svg+xml', fileName: 'x.svg' }],
    ['a type the kind does not take', { contentType: 'application/pdf', fileName: 'x.pdf', kind: 'PHOTO' }],
    ['an extension that does not go with the type', { contentType: 'image/png', fileName: 'x.exe' }],
    ['a size above the kind’s limit', { contentType: 'image/png', fileName: 'x.png', byteSize: LIMIT + 1 }],
    ['a zero size', { contentType: 'image/png', fileName: 'x.png', byteSize: 0 }],
    ['a NUL in the file name', { contentType: 'image/png', fileName: 'x\u0000.png' }],
    ['an overlong file name', { contentType: 'image/png', fileName: `${'a'.repeat(300)}.png` }],
    ['an empty title', { contentType: 'image/png', fileName: 'x.png', title: '  ' }],
    ['a negative quantityProduced', { contentType: 'image/png', fileName: 'x.png', quantityProduced: -1 }],
  ])('refuses %s with BAD_USER_INPUT', async (_label, input) => {
    const r = await n.cityA1.admin.request(REQUEST, { i: { title: '展板', kind: 'DISPLAY_BOARD', byteSize: 100, ...input } });
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
  });

  it('keeps only the last segment of a path-like file name (never used on disk anyway)', async () => {
    const r = await upload(n.cityA1.admin, { contentType: 'image/png', fileName: '../../etc/passwd.png' }, png);
    expect(r.status).toBe(200);
    const res = await fetch(abs((await asset(n.cityA1.admin, r.id)).url));
    expect(res.headers.get('content-disposition')).toBe(`inline; filename="passwd.png"; filename*=UTF-8''passwd.png`);
    expect(filesOf(r.id).every((f) => !f.includes('passwd'))).toBe(true);
  });

  it('is for signed-in editors', async () => {
    const input = { title: 'x', kind: 'PHOTO', contentType: 'image/png', fileName: 'x.png', byteSize: 10 };
    expect(codeOf(await t.gql.request(REQUEST, { i: input }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.root.request(REQUEST, { i: input }))).toBe('FORBIDDEN');
    await n.cityA1.admin.run('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
      i: { tenantId: n.cityA1.tenantId, email: 'viewer@citya1.test', name: '观察员', password: PASSWORD, role: 'VIEWER' },
    });
    const viewer = await t.signIn('viewer@citya1.test');
    expect(codeOf(await viewer.request(REQUEST, { i: input }))).toBe('FORBIDDEN');
    expect((await asset(viewer, ids.PNG)).status).toBe('READY');
  });
});

describe('upload URLs: single use, short-lived, signed', () => {
  it('a reused URL is refused (CONFLICT), also when two PUTs race', async () => {
    const tk = await ticket(n.cityA1.admin, { contentType: 'image/jpeg', fileName: 'r.jpg', kind: 'PHOTO', byteSize: jpeg.length });
    const [a, b] = await Promise.all([put(tk.uploadUrl, jpeg), put(tk.uploadUrl, jpeg)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const again = await put(tk.uploadUrl, jpeg);
    expect([again.status, again.json.errors[0].extensions.code]).toEqual([409, 'CONFLICT']);
    expect((await asset(n.cityA1.admin, tk.asset.id)).sha256).toBe(sha(jpeg));
    expect(filesOf(tk.asset.id).length).toBe(2); // the file and its thumbnail, once
  });

  it('an expired URL is refused and writes nothing', async () => {
    const tk = await ticket(n.cityA1.admin, { contentType: 'image/png', fileName: 'e.png', byteSize: png.length });
    expect(Date.parse(tk.expiresAt) - Date.now()).toBeGreaterThan(10 * 60 * 1000);
    const expired = mint('upload', tk.asset.id, 'cityA1', Math.floor(Date.now() / 1000) - 1);
    const res = await put(expired, png);
    expect([res.status, res.json.errors[0].extensions.code]).toEqual([403, 'FORBIDDEN']);
    expect((await asset(n.cityA1.admin, tk.asset.id)).status).toBe('PENDING');
    expect(filesOf(tk.asset.id)).toEqual([]);
    expect((await put(tk.uploadUrl, png)).status).toBe(200); // the real one still works
  });

  it('a tampered signature or payload answers 404 and writes nothing', async () => {
    const tk = await ticket(n.cityA1.admin, { contentType: 'image/png', fileName: 't.png', byteSize: png.length });
    // the last character carries 4 bits of the MAC and 2 unused ones: any change must still count
    const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const badMac = tk.uploadUrl.slice(0, -1) + B64[B64.indexOf(tk.uploadUrl.slice(-1)) ^ 1]; // same decoded bytes
    const badMac2 = tk.uploadUrl.slice(0, -10) + (tk.uploadUrl.slice(-10, -9) === 'x' ? 'y' : 'x') + tk.uploadUrl.slice(-9);
    const later = tamper(tk.uploadUrl, (p) => (p.e += 3600));
    for (const url of [badMac, badMac2, later, '/media/upload/nonsense', '/media/upload/']) {
      const res = await put(url, png);
      expect([url, res.status, res.json?.errors?.[0]?.extensions?.code]).toEqual([url, 404, 'NOT_FOUND']);
    }
    expect((await asset(n.cityA1.admin, tk.asset.id)).status).toBe('PENDING');
    expect(filesOf(tk.asset.id)).toEqual([]);
  });

  it('GET on an upload URL and PUT on a download URL are refused', async () => {
    expect((await fetch(`${base}/media/upload/eyJ4IjoxfQ.c2lnbmF0dXJl`)).status).toBe(405);
    expect((await fetch(abs((await asset(n.cityA1.admin, ids.PNG)).url), { method: 'PUT', body: 'x' })).status).toBe(405);
  });

  it('the gateway refuses a body above the media upload limit before the media service reads it', async () => {
    const res = await fetch(`${base}/media/upload/eyJ4IjoxfQ.c2lnbmF0dXJl`, { method: 'PUT', body: Buffer.alloc(LIMIT + 1) });
    expect(res.status).toBe(413);
    expect((await res.json()).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('the cross-tenant matrix', () => {
  // cityA1 owns the assets; provA is its parent, districtA1 its child, cityA2 its sibling, provB another branch
  const readers: [string, TreeKey, boolean][] = [
    ['owner', 'cityA1', true],
    ['parent', 'provA', true],
    ['grandparent', 'nation', true],
    ['sibling', 'cityA2', false],
    ['child', 'districtA1', false],
    ['other branch', 'provB', false],
  ];

  it.each(readers)('%s: asset, assets, url', async (_label, who, sees) => {
    const read = await asset(n[who].admin, ids.PNG);
    const list = await n[who].admin.run('{ assets(first: 100) { totalCount edges { node { id } } } }');
    const listed = list.assets.edges.map((e: any) => e.node.id);
    if (sees) {
      expect(read.id).toBe(ids.PNG);
      expect(listed).toContain(ids.PNG);
      const res = await fetch(abs(read.url));
      expect(res.status).toBe(200);
      expect(sha(Buffer.from(await res.arrayBuffer()))).toBe(sha(png));
    } else {
      expect(read).toBeNull();
      expect(listed).not.toContain(ids.PNG);
    }
  });

  it('a forged id finds nothing: null in range, BAD_USER_INPUT out of range', async () => {
    for (const id of ['999999', '2147483647']) {
      const r = await n.cityA1.admin.request(ASSET, { id });
      expect(r.errors).toBeUndefined();
      expect(r.data.asset).toBeNull();
    }
    for (const id of ['0', '-1', 'abc', '1 OR 1=1', '99999999999']) {
      const r = await n.cityA1.admin.request(ASSET, { id });
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(r.data?.asset ?? null).toBeNull();
    }
    const filtered = await n.cityA1.admin.run('query($c: ID) { assets(campaignId: $c) { totalCount } }', { c: '999999' });
    expect(filtered.assets.totalCount).toBe(0);
    expect(codeOf(await n.cityA1.admin.request('query($c: ID) { assets(campaignId: $c) { totalCount } }', { c: 'abc' }))).toBe('BAD_USER_INPUT');
  });

  it('a download URL of another tenant’s asset answers 404: tampered, or signed for a scope that cannot see it', async () => {
    const { url } = await asset(n.cityA1.admin, ids.PNG);
    const siblingUrl = (await asset(n.cityA2.admin, (await upload(n.cityA2.admin, { contentType: 'image/png', fileName: 's.png' }, png)).id)).url;
    const attempts = [
      tamper(siblingUrl, (p) => (p.a = Number(ids.PNG))), // the sibling's own URL pointed at the asset
      tamper(url, (p) => {
        p.t = Number(n.cityA2.tenantId);
        p.p = paths.cityA2;
      }),
      url.slice(0, -2) + (url.endsWith('AA') ? 'BB' : 'AA'),
      mint('file', ids.PNG, 'cityA2'),
      mint('file', ids.PNG, 'districtA1'),
      mint('thumbnail', ids.PNG, 'provB'),
      mint('file', '999999', 'cityA1'),
      '/media/download/garbage',
    ];
    for (const attempt of attempts) {
      const res = await fetch(abs(attempt));
      expect([attempt, res.status]).toEqual([attempt, 404]);
      expect((await res.json()).errors[0].extensions.code).toBe('NOT_FOUND');
    }
    expect((await fetch(abs(mint('file', ids.PNG, 'provA')))).status).toBe(200); // the parent may read it
    expect((await fetch(abs(mint('file', ids.PNG, 'cityA1', Math.floor(Date.now() / 1000) - 1)))).status).toBe(403);
  });

  it('an upload URL only works for the tenant and asset it was made for', async () => {
    const tk = await ticket(n.cityA1.admin, { contentType: 'image/png', fileName: 'm.png', byteSize: png.length });
    const sibling = await ticket(n.cityA2.admin, { contentType: 'image/png', fileName: 'm.png', byteSize: png.length });
    const attempts = [
      tamper(sibling.uploadUrl, (p) => (p.a = Number(tk.asset.id))),
      mint('upload', tk.asset.id, 'cityA2'),
      mint('upload', tk.asset.id, 'provA'), // the parent can read the asset, but the upload is the owner's
      mint('upload', tk.asset.id, 'districtA1'),
      mint('file', tk.asset.id, 'cityA1').replace('/download/', '/upload/'), // a download token is no upload token
    ];
    for (const attempt of attempts) {
      const res = await put(attempt, png);
      expect([attempt, res.status]).toEqual([attempt, 404]);
    }
    expect((await asset(n.cityA1.admin, tk.asset.id)).status).toBe('PENDING');
    expect(filesOf(tk.asset.id)).toEqual([]);
    expect((await put(tk.uploadUrl, png)).status).toBe(200);
  });

  it('links go only to the caller’s own campaigns and activities', async () => {
    const link = (who: TreeKey, extra: Record<string, unknown>) =>
      n[who].admin.request(REQUEST, { i: { title: 'x', kind: 'POSTER', contentType: 'application/pdf', fileName: 'x.pdf', byteSize: 10, ...extra } });
    expect(codeOf(await link('cityA1', { campaignId: ids.campA2 }))).toBe('NOT_FOUND'); // sibling's
    expect(codeOf(await link('cityA1', { campaignId: '999999' }))).toBe('NOT_FOUND');
    expect(codeOf(await link('cityA1', { campaignId: ids.campProvA }))).toBe('FORBIDDEN'); // parent's, visible as a directive
    expect(codeOf(await link('cityA1', { campaignId: ids.campDistrict }))).toBe('FORBIDDEN'); // child's
    expect(codeOf(await link('cityA1', { activityId: ids.actDistrict }))).toBe('FORBIDDEN');
    expect(codeOf(await link('cityA1', { activityId: ids.actA1, campaignId: ids.campA1b }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await link('cityA2', { activityId: ids.actA1 }))).toBe('NOT_FOUND');
  });

  it('only the owning tenant changes an asset: parent FORBIDDEN, sibling NOT_FOUND', async () => {
    const rec = 'mutation($i: RecordDistributionInput!) { recordDistribution(input: $i) { quantityDistributed } }';
    const upd = 'mutation($i: UpdateAssetInput!) { updateAsset(input: $i) { title } }';
    expect(codeOf(await n.provA.admin.request(rec, { i: { assetId: ids.PDF, quantity: 1 } }))).toBe('FORBIDDEN');
    expect(codeOf(await n.cityA2.admin.request(rec, { i: { assetId: ids.PDF, quantity: 1 } }))).toBe('NOT_FOUND');
    expect(codeOf(await n.provA.admin.request(upd, { i: { id: ids.PDF, title: 'x' } }))).toBe('FORBIDDEN');
    expect(codeOf(await n.districtA1.admin.request(upd, { i: { id: ids.PDF, title: 'x' } }))).toBe('NOT_FOUND');
    expect(codeOf(await n.cityA2.admin.request('mutation($id: ID!) { deleteAsset(id: $id) }', { id: ids.PDF }))).toBe('NOT_FOUND');
  });
});

describe('printed matter', () => {
  const REC = 'mutation($i: RecordDistributionInput!) { recordDistribution(input: $i) { quantityProduced quantityDistributed } }';

  it('distribution never goes above quantityProduced', async () => {
    const r = await upload(n.cityA1.admin, { contentType: 'application/pdf', fileName: 'flyer.pdf', kind: 'FLYER', quantityProduced: 100 }, pdf);
    const rec = (quantity: number) => n.cityA1.admin.request(REC, { i: { assetId: r.id, quantity } });
    expect((await rec(60)).data.recordDistribution).toEqual({ quantityProduced: 100, quantityDistributed: 60 });
    expect(codeOf(await rec(41))).toBe('BAD_USER_INPUT');
    expect(codeOf(await rec(0))).toBe('BAD_USER_INPUT');
    expect(codeOf(await rec(-5))).toBe('BAD_USER_INPUT');
    expect((await rec(40)).data.recordDistribution.quantityDistributed).toBe(100);
    expect(codeOf(await rec(1))).toBe('BAD_USER_INPUT');
    // produced may grow, never below what is already out
    const upd = 'mutation($i: UpdateAssetInput!) { updateAsset(input: $i) { quantityProduced } }';
    expect(codeOf(await n.cityA1.admin.request(upd, { i: { id: r.id, quantityProduced: 99 } }))).toBe('BAD_USER_INPUT');
    expect((await n.cityA1.admin.run(upd, { i: { id: r.id, quantityProduced: 150 } })).updateAsset.quantityProduced).toBe(150);
    expect((await rec(50)).data.recordDistribution.quantityDistributed).toBe(150);
  });

  it('concurrent distributions stop exactly at quantityProduced', async () => {
    const r = await upload(n.cityA1.admin, { contentType: 'application/pdf', fileName: 'flyer.pdf', kind: 'FLYER', quantityProduced: 100 }, pdf);
    const results = await Promise.all(Array.from({ length: 25 }, () => n.cityA1.admin.request(REC, { i: { assetId: r.id, quantity: 10 } })));
    expect(results.filter((x) => !x.errors).length).toBe(10);
    expect(results.filter((x) => x.errors).every((x) => codeOf(x) === 'BAD_USER_INPUT')).toBe(true);
    expect((await asset(n.cityA1.admin, r.id)).quantityDistributed).toBe(100);
  });

  it('without quantityProduced there is no cap', async () => {
    const r = await upload(n.cityA1.admin, { contentType: 'image/jpeg', fileName: 'b.jpg', kind: 'BANNER' }, jpeg);
    expect((await n.cityA1.admin.run(REC, { i: { assetId: r.id, quantity: 25 } })).recordDistribution).toEqual({ quantityProduced: 0, quantityDistributed: 25 });
  });

  it('counts toward the linked activity’s MATERIALS_DISTRIBUTED, once per distribution', async () => {
    const read = async () => {
      const r = await n.cityA1.admin.run('query($id: ID!) { activity(id: $id) { statistics { indicator value } } }', { id: ids.actA1 });
      return r.activity.statistics.find((s: any) => s.indicator === 'MATERIALS_DISTRIBUTED')?.value ?? 0;
    };
    const before = await read();
    const r = await upload(n.cityA1.admin, { contentType: 'application/pdf', fileName: 'leaflet.pdf', kind: 'FLYER', activityId: ids.actA1, quantityProduced: 40000 }, pdf);
    await n.cityA1.admin.run(REC, { i: { assetId: r.id, quantity: 20000 } });
    await n.cityA1.admin.run(REC, { i: { assetId: r.id, quantity: 5000 } });
    const started = Date.now();
    while ((await read()) < before + 25000 && Date.now() - started < 5000) await new Promise((res) => setTimeout(res, 50));
    await durableEventsSettled(); // every distribution applied: none can still count
    expect(await read()).toBe(before + 25000);
    // an asset not linked to an activity counts nowhere
    const unlinked = await upload(n.cityA1.admin, { contentType: 'application/pdf', fileName: 'x.pdf', kind: 'FLYER' }, pdf);
    await n.cityA1.admin.run(REC, { i: { assetId: unlinked.id, quantity: 7 } });
    await durableEventsSettled();
    expect(await read()).toBe(before + 25000);
  });
});

describe('deleting an asset', () => {
  it('removes its files; its old URLs answer 404', async () => {
    const r = await upload(n.cityA1.admin, { contentType: 'image/png', fileName: 'gone.png' }, png);
    const { url, thumbnailUrl } = await asset(n.cityA1.admin, r.id);
    expect(filesOf(r.id).length).toBe(2);
    expect(codeOf(await n.provA.admin.request('mutation($id: ID!) { deleteAsset(id: $id) }', { id: r.id }))).toBe('FORBIDDEN');
    expect((await n.cityA1.admin.run('mutation($id: ID!) { deleteAsset(id: $id) }', { id: r.id })).deleteAsset).toBe(r.id);
    expect(filesOf(r.id)).toEqual([]);
    expect((await fetch(abs(url))).status).toBe(404);
    expect((await fetch(abs(thumbnailUrl))).status).toBe(404);
    expect(await asset(n.cityA1.admin, r.id)).toBeNull();
  });
});
