import { Claims, fetchEntities } from '@cascade/kernel';

/**
 * Whether a screen link is still active (not revoked, not expired), asked of the feeds
 * service as the screen itself and remembered for a moment, so every request of a screen
 * is checked without a lookup each time. Revocation also reaches open sockets at once
 * through the event bus (see websocket.ts).
 */
export class ScreenLinkStatus {
  private readonly cache = new Map<string, { active: boolean; at: number }>();

  constructor(
    private readonly feedsUrl: string | undefined,
    private readonly internalSecret: string,
    private readonly ttlMs = 2000,
  ) {}

  async isActive(claims: Claims): Promise<boolean> {
    const linkId = claims.screen?.linkId;
    if (!linkId || !this.feedsUrl) return false;
    const cached = this.cache.get(linkId);
    if (cached && Date.now() - cached.at < this.ttlMs) return cached.active;
    let active = false;
    try {
      const [link] = await fetchEntities<{ revoked: boolean; expiresAt: string }>(
        { url: this.feedsUrl, secret: this.internalSecret, claims },
        'ScreenLink',
        [linkId],
        'revoked expiresAt',
      );
      active = !!link && !link.revoked && new Date(link.expiresAt).getTime() > Date.now();
    } catch {
      active = false;
    }
    this.cache.set(linkId, { active, at: Date.now() });
    return active;
  }

  markRevoked(linkId: string) {
    this.cache.set(linkId, { active: false, at: Date.now() });
  }
}
