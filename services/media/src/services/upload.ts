import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import { PassThrough, Readable } from 'node:stream';
import sharp from 'sharp';
import { Storage, tenantPrefix } from '../storage';
import { Limiter } from './limiter';
import { allowedType } from './policy';
import { Sniffer } from './sniff';

/** Bytes read before the type is decided (enough for file-type to look inside OOXML zips). */
const SNIFF_BYTES = 64 * 1024;
/**
 * Sniffing a type takes well under a millisecond; a parser still busy after this is stuck.
 * (Starting a fresh worker after one was stopped has a bound of its own, see Sniffer.) A
 * constant: each crafted upload delays the sniffs queued behind it by at most this long.
 */
const SNIFF_TIMEOUT_MS = 2_000;
/**
 * One sniffer for the process: one idle worker thread, unref'd, so it never keeps a process
 * alive; a stopped service leaves it idle (the kernel has no stop hook for a subgraph).
 */
export const uploadSniffer = new Sniffer({ timeoutMs: SNIFF_TIMEOUT_MS, maxBytes: SNIFF_BYTES });
/** After a refusal, the rest of the body is read and dropped up to this much, then the connection is cut. */
const DRAIN_LIMIT = 16 * 1024 * 1024;

export type Received =
  | { ok: true; sha256: string }
  | { ok: false; status: number; code: 'BAD_USER_INPUT' | 'INTERNAL_SERVER_ERROR'; reason: string };

/** A generated storage key under the tenant's prefix: nothing of the client's file name. */
export function newStorageKey(tenantId: number, assetId: number): string {
  return `${tenantPrefix(tenantId)}${assetId}/${randomBytes(16).toString('hex')}`;
}

/**
 * Streams an upload body into storage under `key` while counting bytes and computing
 * SHA-256. Stops at the declared size. The first bytes are held back until their real type
 * is known (file-type): a body that is not what was declared never reaches storage. On any
 * refusal nothing stays under the key.
 */
export function receive(
  req: http.IncomingMessage,
  options: { storage: Storage; key: string; declaredSize: number; declaredType: string; sniffer: Sniffer },
): Promise<Received> {
  const { storage, key, declaredSize, declaredType, sniffer } = options;
  return new Promise<Received>((resolve) => {
    const hash = createHash('sha256');
    const head: Buffer[] = [];
    let received = 0;
    let ended = false;
    let settled = false;
    let body: PassThrough | null = null;
    let put: Promise<void> | null = null;

    const fail = (status: number, code: 'BAD_USER_INPUT' | 'INTERNAL_SERVER_ERROR', reason: string) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      body?.destroy(new Error(reason));
      drain(req);
      const stored = put ?? Promise.resolve();
      void stored
        .catch(() => undefined)
        .then(() => storage.delete(key).catch(() => undefined))
        .then(() => resolve({ ok: false, status, code, reason }));
    };

    const finish = () => {
      if (settled || !body || !put) return;
      body.end();
      put.then(
        () => {
          if (settled) return;
          settled = true;
          resolve({ ok: true, sha256: hash.digest('hex') });
        },
        () => fail(500, 'INTERNAL_SERVER_ERROR', 'The file could not be stored'),
      );
    };

    /** The declared type is checked against the first bytes; then writing starts. */
    const startWriting = async () => {
      const first = Buffer.concat(head);
      const result = await sniffer.sniff(first);
      if (settled) return;
      if (!result.ok) {
        const why = result.reason === 'timeout' ? 'its type could not be recognised in time' : 'its type could not be recognised';
        return fail(415, 'BAD_USER_INPUT', `The content is not ${declaredType}: ${why}`);
      }
      const sniffed = result.type;
      const allowed = allowedType(declaredType);
      if (!sniffed) return fail(415, 'BAD_USER_INPUT', `The content is not ${declaredType}: its type could not be recognised`);
      if (!allowed || !allowed.sniffedAs.includes(sniffed.mime)) {
        return fail(415, 'BAD_USER_INPUT', `The content is ${sniffed.mime}, not the declared ${declaredType}`);
      }
      body = new PassThrough({ highWaterMark: 1024 * 1024 });
      body.on('error', () => undefined); // a refusal destroys it; storage.put sees that and cleans up
      put = storage.put(key, body, declaredSize, declaredType);
      put.catch(() => undefined); // handled in finish / fail
      body.write(first);
      if (ended) finish();
      else req.resume();
    };

    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > declaredSize) return fail(413, 'BAD_USER_INPUT', `The body is larger than the declared ${declaredSize} bytes`);
      hash.update(chunk);
      if (!body) {
        head.push(chunk);
        if (received >= Math.min(SNIFF_BYTES, declaredSize)) {
          req.pause();
          void startWriting();
        }
        return;
      }
      if (!body.write(chunk)) {
        req.pause();
        body.once('drain', () => {
          if (!settled) req.resume();
        });
      }
    };

    const onEnd = () => {
      ended = true;
      if (received < declaredSize) return fail(400, 'BAD_USER_INPUT', `The body has ${received} bytes, fewer than the declared ${declaredSize}`);
      if (body) finish();
    };

    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', () => fail(400, 'BAD_USER_INPUT', 'The upload was interrupted'));
    req.on('close', () => {
      if (!req.complete) fail(400, 'BAD_USER_INPUT', 'The upload was interrupted');
    });
  });
}

/** Reads and drops what is left of a refused body (bounded), so the answer can reach the client. */
function drain(req: http.IncomingMessage) {
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DRAIN_LIMIT) req.destroy();
  });
  req.resume();
}

/**
 * The most pixels an image may have: 8192 × 6144, 50.3 megapixels. That is the full
 * resolution of today's 48–50 MP phone photos (8064×6048, 8160×6120, 8192×6144) and of 45 MP
 * full-frame cameras, and a scanned A0 board at 150 dpi (4967×7022) fits with room to spare.
 * A 480 px thumbnail needs far less; the bound is what decoding may cost: an interlaced PNG
 * is decoded whole: about 3 bytes and 15–20 ms of CPU per megapixel (measured on the 2-core
 * benchmark machine: 8192×6144 takes 160 MB and about 1 s; 100 MP took 300 MB and 2 s).
 * Larger images are refused (415) before their pixels are decoded. An object, so that
 * bench/thumbnail-latency.js can measure the code with the old bound (100 MP).
 */
export const thumbnailBounds = { maxPixels: 8192 * 6144 };
const maxPixelsText = () => `${(thumbnailBounds.maxPixels / 1e6).toFixed(1)} megapixels`;

/**
 * Thumbnails run at most this many at once, whatever the number of uploads: one core stays
 * free for the event loop that serves every other request, and at most two decodes hold
 * their memory (see thumbnailBounds) at the same time. Each runs on one libvips thread, and
 * nothing is cached: a thumbnail is made once.
 */
export const thumbnails = new Limiter(Math.min(2, Math.max(1, os.availableParallelism() - 1)));
sharp.concurrency(1);
sharp.cache(false);

export type Thumbnail = { ok: true; key: string } | { ok: false; reason: string };

/**
 * A thumbnail (WebP, at most 480×480) of a stored image, stored next to it, made when its
 * turn comes (see `thumbnails`). An image that is too large or cannot be decoded (corrupt)
 * answers why; a storage failure throws.
 */
export function storeThumbnail(storage: Storage, key: string, contentType: string): Promise<Thumbnail> {
  return thumbnails.run(() => makeThumbnail(storage, key, contentType));
}

async function makeThumbnail(storage: Storage, key: string, contentType: string): Promise<Thumbnail> {
  const object = await storage.get(key);
  if (!object) throw new Error('The stored image is missing');
  const chunks: Buffer[] = [];
  for await (const chunk of object.body) chunks.push(chunk as Buffer);
  let thumbnail: Buffer;
  try {
    const original = Buffer.concat(chunks);
    // the header says how large the image is (read without the limit, which would only say
    // "too large"): refused before a pixel is decoded
    const { width = 0, height = 0, pageHeight } = await sharp(original, { limitInputPixels: false }).metadata();
    if (width * (pageHeight ?? height) > thumbnailBounds.maxPixels) {
      return { ok: false, reason: `The image is ${width}×${height} pixels: more than the ${maxPixelsText()} Cascade accepts` };
    }
    thumbnail = await sharp(original, { limitInputPixels: thumbnailBounds.maxPixels, failOn: 'error' })
      .rotate().resize(480, 480, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 80 }).toBuffer();
  } catch {
    return { ok: false, reason: `The content is not a readable ${contentType} image` };
  }
  const thumbnailKey = `${key}.thumb.webp`;
  await storage.put(thumbnailKey, Readable.from(thumbnail), thumbnail.length, 'image/webp');
  return { ok: true, key: thumbnailKey };
}
