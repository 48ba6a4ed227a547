import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import sharp from 'sharp';
import { Storage, tenantPrefix } from '../storage';
import { allowedType } from './policy';
import { Sniffer } from './sniff';

/** Bytes read before the type is decided (enough for file-type to look inside OOXML zips). */
const SNIFF_BYTES = 64 * 1024;
/**
 * Sniffing a type takes well under a millisecond; a parser still busy after this is stuck.
 * The budget also covers starting a fresh worker after one was stopped (file-type loads in
 * tens of milliseconds, more on a busy machine).
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
 * A thumbnail (WebP, at most 480×480) of a stored image, stored next to it. Throws when the
 * image cannot be decoded (a corrupt file or a decompression bomb: sharp's pixel limit).
 */
export async function storeThumbnail(storage: Storage, key: string): Promise<string> {
  const object = await storage.get(key);
  if (!object) throw new Error('The stored image is missing');
  const chunks: Buffer[] = [];
  for await (const chunk of object.body) chunks.push(chunk as Buffer);
  const thumbnail = await sharp(Buffer.concat(chunks), { limitInputPixels: 100_000_000, failOn: 'error' })
    .rotate()
    .resize(480, 480, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 80 })
    .toBuffer();
  const thumbnailKey = `${key}.thumb.webp`;
  await storage.put(thumbnailKey, Readable.from(thumbnail), thumbnail.length, 'image/webp');
  return thumbnailKey;
}
