import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed media URLs are capabilities, like presigned URLs: they work without an
 * Authorization header, are bound to one asset and one reader's scope, and expire.
 * "<base64url(json)>.<base64url(HMAC-SHA256)>", keyed by a key derived from the internal
 * secret (so a media token is never a valid internal context, nor the other way round).
 */
export type MediaTokenKind = 'upload' | 'file' | 'thumbnail';

export interface MediaToken {
  kind: MediaTokenKind;
  assetId: number;
  /** The caller the URL was made for: its tenant, path and user (the scope it reads with). */
  tenantId: number;
  tenantPath: string;
  userId: string;
  /** Unix seconds. */
  exp: number;
}

interface Envelope {
  k: MediaTokenKind;
  a: number;
  t: number;
  p: string;
  u: string;
  e: number;
}

export function mediaKey(internalSecret: string): Buffer {
  return createHmac('sha256', internalSecret).update('cascade media URLs v1').digest();
}

export function signMediaToken(token: MediaToken, key: Buffer): string {
  const envelope: Envelope = { k: token.kind, a: token.assetId, t: token.tenantId, p: token.tenantPath, u: token.userId, e: token.exp };
  const payload = Buffer.from(JSON.stringify(envelope)).toString('base64url');
  return `${payload}.${createHmac('sha256', key).update(payload).digest('base64url')}`;
}

export type Verified = { ok: true; token: MediaToken } | { ok: false; reason: 'invalid' | 'expired' };

/** Checks the signature first (a changed token is 'invalid'), then the expiry. */
export function verifyMediaToken(value: string, key: Buffer, expected: MediaTokenKind[], now = Date.now()): Verified {
  const [payload, mac, extra] = value.split('.');
  if (!payload || !mac || extra !== undefined || payload.length > 2048) return { ok: false, reason: 'invalid' };
  // compared as text: a base64url spelling that decodes to the same bytes is still a changed URL
  const want = Buffer.from(createHmac('sha256', key).update(payload).digest('base64url'));
  const given = Buffer.from(mac);
  if (given.length !== want.length || !timingSafeEqual(given, want)) return { ok: false, reason: 'invalid' };
  let e: Envelope;
  try {
    e = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (!expected.includes(e.k) || !Number.isInteger(e.a) || !Number.isInteger(e.t) || typeof e.p !== 'string' || typeof e.u !== 'string' || typeof e.e !== 'number') {
    return { ok: false, reason: 'invalid' };
  }
  if (e.e * 1000 < now) return { ok: false, reason: 'expired' };
  return { ok: true, token: { kind: e.k, assetId: e.a, tenantId: e.t, tenantPath: e.p, userId: e.u, exp: e.e } };
}
