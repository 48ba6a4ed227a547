import { badInput, changesBetween, Claims, createdWithAudit, forbidden, issueToken, notFound, recordAudit, toId } from '@cascade/kernel';
import { FeedsContext } from '../context';
import { ScreenLink } from '../entities';

const DAY = 24 * 3600 * 1000;

/** The claims a screen link's token carries: the creator's tenant scope, read-only, one target. */
export function screenClaims(link: ScreenLink): Claims {
  return {
    userId: `screen:${link.id}`,
    tenantId: String(link.tenantId),
    tenantPath: link.tenantPath,
    role: 'VIEWER',
    root: false,
    screen: {
      linkId: String(link.id),
      activityId: link.activityId ? String(link.activityId) : null,
      tenantId: link.targetTenantId ? String(link.targetTenantId) : null,
      campaignId: link.campaignId ? String(link.campaignId) : null,
    },
  };
}

/** Read-only links for big screens. */
export const screenService = {
  async create(
    ctx: FeedsContext,
    input: { activityId?: string | null; tenantId?: string | null; campaignId?: string | null; expiresAt?: Date | null },
  ): Promise<ScreenLink> {
    ctx.scope.requireRole('EDITOR');
    if (!!input.activityId === !!input.tenantId) throw badInput('Give exactly one of activityId and tenantId', 'activityId');
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : new Date(Date.now() + 7 * DAY);
    if (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= Date.now()) throw badInput('expiresAt must be in the future', 'expiresAt');
    if (expiresAt.getTime() > Date.now() + 90 * DAY) throw badInput('expiresAt must be within 90 days', 'expiresAt');
    const campaignId = input.campaignId ? toId(input.campaignId) : null;
    if (input.campaignId && campaignId === null) throw notFound('Campaign');
    let target: Partial<ScreenLink>;
    if (input.activityId) {
      const activity = toId(input.activityId) ? await ctx.activity(input.activityId) : null;
      if (!activity) throw notFound('Activity');
      if (activity.tenant.id !== ctx.claims.tenantId) throw forbidden('Only editors of the activity’s own tenant create its screen');
      target = { activityId: Number(activity.id), targetTenantId: null, campaignId: null };
    } else {
      const tenantId = toId(input.tenantId);
      if (tenantId === null || !(await ctx.canReadRollup(`${tenantId}:${campaignId ?? 0}`))) throw notFound('Tenant');
      target = { activityId: null, targetTenantId: tenantId, campaignId };
    }
    const values = { ...target, expiresAt, revokedAt: null, createdBy: Number(ctx.claims.userId) };
    return createdWithAudit(ctx.data, ctx.claims, 'ScreenLink', values, (tx) => tx.repo(ScreenLink).insert(values));
  },

  async revoke(ctx: FeedsContext, id: string): Promise<ScreenLink> {
    ctx.scope.requireRole('EDITOR');
    const link = await ctx.data.transaction(async (tx) => {
      const before = await tx.repo(ScreenLink).findById(id);
      // a link the caller does not own fails in update() as before (NOT_FOUND, FORBIDDEN); the entry is rolled back with it
      const revokedAt = new Date();
      if (before) await recordAudit(tx, ctx.claims, { tenant: before, action: 'REVOKE', entityType: 'ScreenLink', entityId: before.id, changes: changesBetween(before, { revokedAt }) });
      return tx.repo(ScreenLink).update(id, { revokedAt });
    });
    await ctx.bus.publish('screen.revoked', { linkId: String(link.id) });
    return link;
  },

  /** `/screen/<token>`: the token expires with the link. */
  async url(link: ScreenLink, jwtSecret: string, publicUrl: string | undefined): Promise<string> {
    const token = await issueToken(screenClaims(link), jwtSecret, 0, Math.floor(link.expiresAt.getTime() / 1000));
    return `${publicUrl ?? ''}/screen/${token}`;
  },
};
