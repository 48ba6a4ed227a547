import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
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

/** How long an HTTP context is valid: one hop, signed just before the request is sent. */
export const HTTP_CONTEXT_TTL_SECONDS = 30;
/** Socket contexts are signed per window of this length (see signSocketContext). */
export const SOCKET_CONTEXT_WINDOW_SECONDS = 30;
/**
 * No context is accepted with an expiry further ahead than this, whoever signed it: a value
 * valid for hours (a token's life) is refused even with a good signature.
 */
export const MAX_CONTEXT_LIFETIME_SECONDS = 2 * SOCKET_CONTEXT_WINDOW_SECONDS;

/**
 * What a signature is good for, signed with the claims so a captured value cannot be used for
 * anything else: one HTTP request body (its SHA-256), or opening a subscription socket.
 */
type Use = { use: 'http'; body: string } | { use: 'socket' };

type SignedEnvelope = Claims & Use & { exp: number /* unix seconds */ };

function hmac(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

/** SHA-256 of a request body exactly as sent (a string is hashed as its UTF-8 bytes). */
export function bodyDigest(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('base64url');
}

function sign(envelope: SignedEnvelope, secret: string): string {
  const payload = Buffer.from(JSON.stringify(envelope)).toString('base64url');
  return `${payload}.${hmac(secret, payload).toString('base64url')}`;
}

/**
 * The context of one HTTP request to a subgraph: HMAC-SHA256 over the claims, the SHA-256 of
 * `body` (the exact bytes sent) and an expiry `ttlSeconds` from now. A captured value replays
 * only that same request, and only until it expires: "<base64url(json)>.<base64url(mac)>".
 */
export function signInternalContext(claims: Claims, secret: string, body: string | Uint8Array, ttlSeconds = HTTP_CONTEXT_TTL_SECONDS): string {
  return sign({ ...claims, use: 'http', body: bodyDigest(body), exp: Math.floor(Date.now() / 1000) + ttlSeconds }, secret);
}

/**
 * The context a subgraph socket (graphql-ws connection_init) opens with. It is checked when the
 * socket opens and when a subscription starts on it, never again: what keeps a subscription
 * alive is the gateway, which checks the token (expiry, screen link) for every operation and
 * ends a client's subscriptions when its token ends. So the value is short-lived: it expires at
 * the end of the window after the current one (30–60 s from now). Equal claims within one window
 * sign the same value, so the gateway's subscriptions still share upstream sockets (the runtime
 * shares a socket between equal connectionParams); a new window opens a new socket.
 */
export function signSocketContext(claims: Claims, secret: string, nowMs = Date.now()): string {
  const window = Math.floor(nowMs / 1000 / SOCKET_CONTEXT_WINDOW_SECONDS);
  return sign({ ...claims, use: 'socket', exp: (window + 2) * SOCKET_CONTEXT_WINDOW_SECONDS }, secret);
}

function open(value: string | undefined | null, secret: string): SignedEnvelope {
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
  const now = Math.floor(Date.now() / 1000);
  if (typeof envelope.exp !== 'number' || envelope.exp < now) throw unauthenticated('Expired internal context');
  if (envelope.exp > now + MAX_CONTEXT_LIFETIME_SECONDS) throw unauthenticated('Internal context valid for too long');
  return envelope;
}

function claimsOf(envelope: SignedEnvelope): Claims {
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

/**
 * The claims of an HTTP request whose body (the exact bytes received) is `body`, or
 * UNAUTHENTICATED for a missing, forged, expired value, a socket's value, or one signed for
 * another body.
 */
export function verifyInternalContext(value: string | undefined | null, secret: string, body: string | Uint8Array | undefined): Claims {
  const envelope = open(value, secret);
  if (envelope.use !== 'http' || body === undefined || envelope.body !== bodyDigest(body)) {
    throw unauthenticated('Internal context signed for another request');
  }
  return claimsOf(envelope);
}

/** The claims a subgraph socket opens with and when they expire (unix seconds), or UNAUTHENTICATED. */
export function verifySocketContext(value: string | undefined | null, secret: string): { claims: Claims; expiresAt: number } {
  const envelope = open(value, secret);
  if (envelope.use !== 'socket') throw unauthenticated('Internal context signed for another request');
  return { claims: claimsOf(envelope), expiresAt: envelope.exp };
}
