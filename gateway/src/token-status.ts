import { Claims, fetchEntities } from '@cascade/kernel';
import { AuthContext, bearerToken } from './auth-plugin';
import type { VerifiedTokens } from './verified-tokens';

interface UserStatus {
  tokenVersion: number;
  role: string;
  removed: boolean;
}

/** The answer when a user's token is no longer the user's (signed out, revoked, demoted, removed). */
export const ENDED_MESSAGE = 'This sign-in has ended: sign in again';

/** Users remembered at most; past it, entries older than the cache bound are dropped first. */
const MAX_CACHED_USERS = 10_000;

/**
 * Whether a user's sign-in token is still the user's: the user exists and is not removed, and
 * its token version (raised by signOut, revocation and a change of role) and role are those the
 * token was issued with. Asked of org as the user itself (an entity lookup of its User) and
 * remembered for at most `ttlMs` (TOKEN_STATUS_CACHE_SECONDS), so a revoked, demoted or removed
 * user loses access within that bound plus one re-check of an open socket (ttl/2): under a
 * minute with the default 30 s. Root's tokens (no user row) and screen-link tokens (their own
 * revocation, screen-links.ts) are not checked here.
 */
export class TokenStatus {
  private readonly cache = new Map<string, { status: UserStatus | null; at: number }>();
  /** One lookup per user at a time: a burst of requests waits for the same answer. */
  private readonly inFlight = new Map<string, Promise<UserStatus | null>>();
  /** Sockets already re-checked on a timer. */
  private readonly watched = new WeakSet<object>();

  constructor(
    private readonly orgUrl: string | undefined,
    /** The token's own checks (signature, expiry) and its version, remembered briefly. */
    private readonly verifiedTokens: VerifiedTokens,
    private readonly internalSecret: string,
    private readonly ttlMs: number,
  ) {}

  /**
   * The auth plugin's check for every operation, over HTTP and WebSocket alike: `auth` as it is,
   * or refused with UNAUTHENTICATED when the token has ended. A socket whose token has ended is
   * closed with 4403, and every signed-in socket is re-checked while it stays open, so an open
   * subscription ends too.
   */
  async check(context: unknown, auth: AuthContext): Promise<AuthContext> {
    const claims = auth.cascadeClaims;
    if (!claims || claims.root || claims.screen) return auth;
    const token = bearerToken(context);
    const current = token !== null && (await this.isCurrent(claims, token));
    const socket = (context as { socket?: SocketLike } | null)?.socket;
    if (!current) {
      socket?.close(4403, 'Forbidden: sign-in ended');
      return { cascadeClaims: null, cascadeAuthError: ENDED_MESSAGE };
    }
    if (socket && token) this.watch(socket, claims, token);
    return auth;
  }

  private async isCurrent(claims: Claims, token: string): Promise<boolean> {
    let version: number | null;
    try {
      version = (await this.verifiedTokens.verify(token)).version;
    } catch {
      return false;
    }
    // a user token without a version was issued before versions existed: it cannot be ended, so it ends now
    if (version === null) return false;
    const status = await this.statusOf(claims);
    return !!status && !status.removed && status.tokenVersion === version && status.role === claims.role;
  }

  private async statusOf(claims: Claims): Promise<UserStatus | null> {
    const userId = claims.userId as string;
    const cached = this.cache.get(userId);
    if (cached && Date.now() - cached.at < this.ttlMs) return cached.status;
    let lookup = this.inFlight.get(userId);
    if (!lookup) {
      lookup = this.lookUp(claims).finally(() => this.inFlight.delete(userId));
      this.inFlight.set(userId, lookup);
    }
    return lookup;
  }

  /** Asked as the user itself: its own row is always in its scope. A failed lookup is not remembered. */
  private async lookUp(claims: Claims): Promise<UserStatus | null> {
    if (!this.orgUrl) return null;
    try {
      const [user] = await fetchEntities<UserStatus>(
        { url: this.orgUrl, secret: this.internalSecret, claims },
        'User',
        [claims.userId as string],
        'tokenVersion role removed',
      );
      this.remember(claims.userId as string, user ?? null);
      return user ?? null;
    } catch {
      return null;
    }
  }

  private remember(userId: string, status: UserStatus | null) {
    if (this.cache.size >= MAX_CACHED_USERS) {
      const now = Date.now();
      for (const [id, entry] of this.cache) if (now - entry.at >= this.ttlMs) this.cache.delete(id);
      if (this.cache.size >= MAX_CACHED_USERS) this.cache.clear();
    }
    this.cache.set(userId, { status, at: Date.now() });
  }

  /** Re-checks an open socket every ttl/2 and closes it (4403) once its token has ended. */
  private watch(socket: SocketLike, claims: Claims, token: string) {
    if (this.watched.has(socket)) return;
    this.watched.add(socket);
    const timer = setInterval(() => {
      void this.isCurrent(claims, token).then((current) => {
        if (!current) socket.close(4403, 'Forbidden: sign-in ended');
      });
    }, Math.max(this.ttlMs / 2, 250));
    timer.unref();
    socket.once('close', () => clearInterval(timer));
  }
}

interface SocketLike {
  close(code: number, reason: string): void;
  once(event: 'close', listener: () => void): unknown;
}
