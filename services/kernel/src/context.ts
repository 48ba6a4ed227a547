import { createHmac, timingSafeEqual } from 'node:crypto';
import { unauthenticated } from './errors';

export type Role = 'ADMIN' | 'EDITOR' | 'VIEWER';
export const ROLE_RANK: Record<Role, number> = { VIEWER: 1, EDITOR: 2, ADMIN: 3 };

/**
 * Who is asking. The gateway derives it from the sign-in token, signs it, and every
 * subgraph verifies it; it is built once per request and passed explicitly.
 * - anonymous: no user (only signIn may run);
 * - root: the platform operator, member of no tenant;
 * - a tenant user: tenantId, tenantPath (materialized path, e.g. "/1/8/23/") and role.
 */
export interface Claims {
  userId: string | null;
  tenantId: string | null;
  tenantPath: string | null;
  role: Role | null;
  root: boolean;
  /** Set for a big-screen link: the caller may read and subscribe to this one target only. */
  screen?: ScreenClaim | null;
  /**
   * The client's network address as the gateway saw it (the TCP peer, never a header a client
   * can write). Signed with the rest, so a subgraph can rely on it: signIn limits failures by it.
   */
  clientAddress?: string | null;
}

/** The one target of a screen link: an activity, or a tenant's roll-up (optionally for a campaign). */
export interface ScreenClaim {
  linkId: string;
  activityId: string | null;
  tenantId: string | null;
  campaignId: string | null;
}

export const ANONYMOUS: Claims = { userId: null, tenantId: null, tenantPath: null, role: null, root: false };

export const INTERNAL_CONTEXT_HEADER = 'x-cascade-context';

interface SignedEnvelope extends Claims {
  exp: number; // unix seconds
}

function hmac(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

/**
 * HMAC-SHA256 over the claims and an expiry: "<base64url(json)>.<base64url(mac)>".
 * The expiry is `ttlSeconds` from now, or the absolute `expiresAt` (unix seconds) when given.
 */
export function signInternalContext(claims: Claims, secret: string, ttlSeconds = 60, expiresAt?: number): string {
  const envelope: SignedEnvelope = { ...claims, exp: expiresAt ?? Math.floor(Date.now() / 1000) + ttlSeconds };
  const payload = Buffer.from(JSON.stringify(envelope)).toString('base64url');
  return `${payload}.${hmac(secret, payload).toString('base64url')}`;
}

/** Returns the claims, or throws UNAUTHENTICATED for a missing, forged or expired value. */
export function verifyInternalContext(value: string | undefined | null, secret: string): Claims {
  if (!value) throw unauthenticated('Missing internal context: call through the gateway');
  const [payload, mac, extra] = value.split('.');
  if (!payload || !mac || extra !== undefined) throw unauthenticated('Malformed internal context');
  const expected = hmac(secret, payload);
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw unauthenticated('Invalid internal context signature');
  }
  let envelope: SignedEnvelope;
  try {
    envelope = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw unauthenticated('Malformed internal context');
  }
  if (typeof envelope.exp !== 'number' || envelope.exp < Math.floor(Date.now() / 1000)) {
    throw unauthenticated('Expired internal context');
  }
  return {
    userId: envelope.userId ?? null,
    tenantId: envelope.tenantId ?? null,
    tenantPath: envelope.tenantPath ?? null,
    role: envelope.role ?? null,
    root: envelope.root === true,
    screen: envelope.screen ?? null,
    ...(typeof envelope.clientAddress === 'string' ? { clientAddress: envelope.clientAddress } : {}),
  };
}
