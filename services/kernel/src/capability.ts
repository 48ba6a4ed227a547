import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Capability URLs (like presigned URLs): "<base64url(json)>.<base64url(HMAC-SHA256)>" carrying
 * what the holder may fetch and until when, keyed by a key derived from the internal secret for
 * one purpose (so a capability of one kind is never valid as another, nor as an internal context).
 */
export function capabilityKey(internalSecret: string, purpose: string): Buffer {
  return createHmac('sha256', internalSecret).update(`cascade capability: ${purpose}`).digest();
}

export function signCapability(payload: Record<string, unknown> & { exp: number }, key: Buffer): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

export type VerifiedCapability<T> = { ok: true; payload: T } | { ok: false; reason: 'invalid' | 'expired' };

/** Checks the signature first (any changed character is 'invalid'), then the expiry (`exp`, unix seconds). */
export function verifyCapability<T extends { exp: number }>(value: string, key: Buffer, now = Date.now()): VerifiedCapability<T> {
  const [body, mac, extra] = value.split('.');
  if (!body || !mac || extra !== undefined || body.length > 2048) return { ok: false, reason: 'invalid' };
  // compared as text: a base64url spelling that decodes to the same bytes is still a changed URL
  const want = Buffer.from(createHmac('sha256', key).update(body).digest('base64url'));
  const given = Buffer.from(mac);
  if (given.length !== want.length || !timingSafeEqual(given, want)) return { ok: false, reason: 'invalid' };
  let payload: T;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T;
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (typeof payload !== 'object' || payload === null || typeof payload.exp !== 'number') return { ok: false, reason: 'invalid' };
  if (payload.exp * 1000 < now) return { ok: false, reason: 'expired' };
  return { ok: true, payload };
}
