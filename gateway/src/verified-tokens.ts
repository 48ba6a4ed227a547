import { verifyToken, VerifiedToken } from '@cascade/kernel';

/** Tokens remembered at most; past it the oldest entry goes first. */
const MAX_REMEMBERED = 10_000;
/** How long one verification is trusted (never past the token's own expiry). */
const REMEMBER_MS = 60_000;

/**
 * Sign-in tokens already verified (signature, issuer, audience, expiry), remembered briefly so
 * a client sending the same token with every request pays for one HMAC check a minute instead
 * of one per request. Only successes are remembered, each until the earlier of REMEMBER_MS and
 * the token's own expiry, so an expired token is verified again and refused; the JWT secret is
 * fixed for the process's life, so a remembered success stays true. What a token proves about
 * its user now (signed out, revoked, demoted, removed) is not decided here: token-status.ts
 * asks org for every token, under its own bound, and screen links are checked on their own.
 */
export class VerifiedTokens {
  private readonly remembered = new Map<string, { verified: VerifiedToken; until: number }>();

  constructor(
    private readonly jwtSecret: string,
    private readonly rememberMs = REMEMBER_MS,
    private readonly max = MAX_REMEMBERED,
  ) {}

  /** The verified token, or UNAUTHENTICATED (as verifyToken) for a forged, malformed or expired one. */
  async verify(token: string): Promise<VerifiedToken> {
    const now = Date.now();
    const hit = this.remembered.get(token);
    if (hit && now < hit.until) return hit.verified;
    if (hit) this.remembered.delete(token);
    const verified = await verifyToken(token, this.jwtSecret);
    // one answer serves every request with this token: nothing may change it for the others
    Object.freeze(verified.claims.screen);
    Object.freeze(verified.claims);
    Object.freeze(verified);
    if (this.remembered.size >= this.max) this.remembered.delete(this.remembered.keys().next().value as string);
    this.remembered.set(token, { verified, until: Math.min(now + this.rememberMs, verified.expiresAt * 1000) });
    return verified;
  }

  /** Tokens remembered now (tests). */
  get size(): number {
    return this.remembered.size;
  }
}
