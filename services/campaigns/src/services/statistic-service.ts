import { badInput, forbidden, isUniqueViolation, notFound, ScopedData, toId } from '@cascade/kernel';
import { Like } from 'typeorm';
import { CampaignsContext } from '../context';
import { Activity, Campaign, Indicator, RollupTotal, Statistic, StatisticIncrement } from '../entities';
import { campaignService } from './campaign-service';

const MAX_VALUE = 2_000_000_000;

function checkCount(value: unknown, field: string, min: number) {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > MAX_VALUE) {
    throw badInput(`${field} must be an integer from ${min} to ${MAX_VALUE}`, field);
  }
}

/** The activity and its campaign, for a write by an editor of the activity's tenant. */
async function ownActivity(ctx: CampaignsContext, activityId: string): Promise<{ activity: Activity; campaign: Campaign }> {
  ctx.scope.requireRole('EDITOR');
  const id = toId(activityId);
  const activity = id === null ? null : await ctx.loaders.activity.load(id);
  if (!activity) throw notFound('Activity');
  if (activity.tenantId !== ctx.scope.tenantId) throw forbidden('Only the activity’s own tenant records its statistics');
  return { activity, campaign: await campaignService.get(ctx, activity.campaignId) };
}

/** The statistic row for activity × indicator, created at 0 when missing (race-safe). */
async function ensureStatistic(ctx: CampaignsContext, activity: Activity, indicator: Indicator): Promise<Statistic> {
  const repo = ctx.data.repo(Statistic);
  const existing = await repo.find({ activityId: activity.id, indicator });
  if (existing[0]) return existing[0];
  try {
    return await repo.insert({ activityId: activity.id, campaignId: activity.campaignId, indicator, value: 0, approximate: false });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return (await repo.find({ activityId: activity.id, indicator }))[0];
  }
}

/** Keys of the roll-up rows a statistic of this campaign counts toward: all campaigns (0) and each directive up its chain. */
function rollupKeys(campaign: Campaign, indicator: Indicator) {
  return [0, ...campaign.directiveIds].map((directiveId) => ({ directiveId, indicator }));
}

/**
 * Applies `change` to one statistic and the same delta to the roll-up rows of the caller's
 * tenant and every ancestor, in one transaction. The row lock is taken first (an UPDATE),
 * so the value read after it is the latest and no concurrent update is lost.
 */
export async function applyChange(
  ctx: CampaignsContext,
  statistic: Statistic,
  campaign: Campaign,
  change: (tx: ScopedData, locked: Statistic) => Promise<{ delta: number; approximate?: boolean }>,
): Promise<Statistic> {
  return ctx.data.transaction(async (tx) => {
    const stats = tx.repo(Statistic);
    await stats.incrementOwn(statistic.id, 'value', 0); // lock the row before reading it
    const locked = (await stats.reload(statistic.id))!;
    const { delta, approximate } = await change(tx, locked);
    if (approximate !== undefined && approximate !== locked.approximate) await stats.update(statistic.id, { approximate });
    if (delta !== 0) await stats.incrementOwn(statistic.id, 'value', delta);
    await tx.addToLineage(RollupTotal, rollupKeys(campaign, statistic.indicator), 'value', delta);
    return (await stats.reload(statistic.id))!;
  }).then(async (changed) => {
    await publishChange(ctx, changed, campaign);
    return changed;
  });
}

/** After the commit: the statistic's new value, and the roll-ups of the writer's line. */
async function publishChange(ctx: CampaignsContext, statistic: Statistic, campaign: Campaign) {
  await ctx.bus.publish('statistic.changed', {
    activityId: statistic.activityId,
    statisticId: statistic.id,
    tenantPath: statistic.tenantPath,
    indicator: statistic.indicator,
    value: statistic.value,
  });
  await ctx.bus.publish('rollup.changed', {
    tenantIds: statistic.tenantPath.split('/').filter(Boolean).map(Number),
    directiveIds: [0, ...campaign.directiveIds],
  });
}

export const statisticService = {
  async record(ctx: CampaignsContext, input: { activityId: string; indicator: Indicator; value: number; approximate?: boolean | null }): Promise<Statistic> {
    checkCount(input.value, 'value', 0);
    const { activity, campaign } = await ownActivity(ctx, input.activityId);
    const statistic = await ensureStatistic(ctx, activity, input.indicator);
    return applyChange(ctx, statistic, campaign, async (_tx, locked) => ({
      delta: input.value - locked.value,
      approximate: input.approximate ?? false,
    }));
  },

  /** Adds `by` atomically; the same idempotencyKey twice adds once and answers the same result. */
  async increment(ctx: CampaignsContext, input: { activityId: string; indicator: Indicator; by: number; idempotencyKey?: string | null }): Promise<Statistic> {
    checkCount(input.by, 'by', 1);
    const key = input.idempotencyKey?.trim() || null;
    if (key && key.length > 100) throw badInput('idempotencyKey must be at most 100 characters', 'idempotencyKey');
    const { activity, campaign } = await ownActivity(ctx, input.activityId);
    if (key) {
      const replay = await statisticService.replay(ctx, key);
      if (replay) return replay;
    }
    const statistic = await ensureStatistic(ctx, activity, input.indicator);
    try {
      return await ctx.increments.add(ctx, statistic, campaign, input.by, key);
    } catch (err) {
      // the same key claimed concurrently (another request or process): answer as it did
      if (key && isUniqueViolation(err)) {
        const replay = await statisticService.replay(ctx, key);
        if (replay) return replay;
      }
      throw err;
    }
  },

  /** The answer an earlier increment with this key gave. */
  async replay(ctx: CampaignsContext, key: string): Promise<Statistic | null> {
    const [done] = await ctx.data.repo(StatisticIncrement).find({ tenantId: ctx.scope.tenantId, idempotencyKey: key });
    if (!done) return null;
    const statistic = await ctx.data.repo(Statistic).reload(done.statisticId);
    return statistic ? Object.assign(new Statistic(), statistic, { value: done.resultValue }) : null;
  },
};

export interface RollupResult {
  tenantId: number;
  campaign: Campaign | null;
  totals: { indicator: Indicator; value: number }[];
}

/** Totals over a tenant's subtree (optionally for one directive): a key lookup on the roll-up rows. */
export async function readRollup(ctx: CampaignsContext, tenantIdInput: string, campaignIdInput?: string | null): Promise<RollupResult> {
  ctx.scope.requireMember();
  const tenantId = toId(tenantIdInput);
  if (tenantId === null) throw notFound('Tenant');
  if (tenantId !== ctx.scope.tenantId) {
    // campaigns knows a tenant below the caller by the rows it owns here
    const seen = (await ctx.data.repo(RollupTotal).count({ tenantId })) + (await ctx.data.repo(Campaign).count({ tenantId }));
    if (seen === 0) throw notFound('Tenant');
  }
  let campaign: Campaign | null = null;
  if (campaignIdInput) {
    campaign = await campaignService.find(ctx, campaignIdInput);
    if (!campaign) throw notFound('Campaign');
  }
  const rows = await ctx.data.repo(RollupTotal).find({ tenantId, directiveId: campaign?.id ?? 0 });
  return { tenantId, campaign, totals: toTotals(rows) };
}

function toTotals(rows: RollupTotal[]) {
  const order = Object.values(Indicator);
  return rows
    .map((r) => ({ indicator: r.indicator, value: Number(r.value) }))
    .sort((a, b) => order.indexOf(a.indicator) - order.indexOf(b.indicator));
}

/** The roll-ups of a tenant's direct children that have any statistics (for the roll-up board). */
export async function readChildRollups(ctx: CampaignsContext, parent: RollupResult): Promise<RollupResult[]> {
  const directiveId = parent.campaign?.id ?? 0;
  const rows = await ctx.data.repo(RollupTotal).find({ directiveId, tenantPath: Like(`%/${parent.tenantId}/%`) });
  const children = new Map<number, RollupTotal[]>();
  for (const row of rows) {
    const ids = row.tenantPath.split('/').filter(Boolean).map(Number);
    if (ids.length < 2 || ids[ids.length - 2] !== parent.tenantId) continue;
    children.set(row.tenantId, [...(children.get(row.tenantId) ?? []), row]);
  }
  return [...children.entries()]
    .sort(([a], [b]) => a - b)
    .map(([tenantId, totals]) => ({ tenantId, campaign: parent.campaign, totals: toTotals(totals) }));
}
