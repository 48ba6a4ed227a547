import { badInput, changesBetween, conflict, forbidden, isUniqueViolation, notFound, recordAudit, ScopedData, toId } from '@cascade/kernel';
import { In } from 'typeorm';
import { CampaignsContext } from '../context';
import { Activity, Campaign, Indicator, MAX_STATISTIC_VALUE, RollupTotal, Statistic, StatisticIncrement } from '../entities';
import { campaignService, lockCampaign, statisticsLockReason } from './campaign-service';
import { keyUsedElsewhere } from './increment-batcher';

function checkCount(value: unknown, field: string, min: number) {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > MAX_STATISTIC_VALUE) {
    throw badInput(`${field} must be an integer from ${min} to ${MAX_STATISTIC_VALUE}`, field);
  }
}

/** The activity and its campaign, for a write by an editor of the activity's tenant. */
async function ownActivity(ctx: CampaignsContext, activityId: string): Promise<{ activity: Activity; campaign: Campaign }> {
  ctx.scope.requireRole('EDITOR');
  const id = toId(activityId);
  const activity = id === null ? null : await ctx.loaders.activity.load(id);
  if (!activity) throw notFound('Activity');
  if (activity.tenantId !== ctx.scope.tenantId) throw forbidden('Only the activity’s own tenant records its statistics');
  const campaign = await campaignService.get(ctx, activity.campaignId);
  const locked = statisticsLockReason(campaign); // the common refusal early; made again inside the write
  if (locked) throw conflict(locked);
  return { activity, campaign };
}

/**
 * Inside the statistic's transaction: refuses the write when the campaign has been closed or
 * its report sent up meanwhile. The campaign row is locked (lockCampaign: FOR UPDATE on
 * MySQL), so setCampaignStatus(CLOSED) and setStatisticsLock wait for writes in flight and
 * every later write reads the lock; with group commit a hot counter takes it once per batch.
 */
async function refuseIfLocked(tx: ScopedData, campaignId: number) {
  const current = await lockCampaign(tx, campaignId, ['id', 'status', 'reportLocked']);
  const locked = current && statisticsLockReason(current);
  if (locked) throw conflict(locked);
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
 * so the value read after it is the latest and no concurrent update is lost. When the
 * statistic turns approximate (or stops being so) the rows' count of approximate
 * contributors moves by one in the same statement; an increment leaves the flag as it is.
 */
export async function applyChange(
  ctx: CampaignsContext,
  statistic: Statistic,
  campaign: Campaign,
  change: StatisticChange,
): Promise<Statistic> {
  return ctx.data.transaction((tx) => applyChangeIn(tx, statistic, campaign, change)).then(async (changed) => {
    await publishChange(ctx, changed, campaign);
    return changed;
  });
}

export type StatisticChange = (tx: ScopedData, locked: Statistic) => Promise<{ delta: number; approximate?: boolean }>;

/** applyChange's work inside a transaction the caller holds (deleteActivity: several statistics, then the delete, in one). */
export async function applyChangeIn(tx: ScopedData, statistic: Statistic, campaign: Campaign, change: StatisticChange): Promise<Statistic> {
  const stats = tx.repo(Statistic);
  // lock the row before reading it, and number this change (events carry the version: feeds orders them by it)
  await stats.incrementOwn(statistic.id, 'version', 1);
  const locked = await stats.reload(statistic.id);
  // deleteActivity may have committed since this write read the activity: its statistic is
  // gone, or (created again since) belongs to no activity; nothing is counted for it
  if (!locked || !(await tx.repo(Activity).reload(statistic.activityId))) throw notFound('Activity');
  await refuseIfLocked(tx, campaign.id);
  const { delta, approximate } = await change(tx, locked);
  const flips = approximate !== undefined && approximate !== locked.approximate;
  if (flips) await stats.update(statistic.id, { approximate });
  if (delta !== 0) await stats.incrementOwn(statistic.id, 'value', delta);
  await tx.addToLineage(RollupTotal, rollupKeys(campaign, statistic.indicator), { value: delta, approximateCount: flips ? (approximate ? 1 : -1) : 0 });
  return (await stats.reload(statistic.id))!;
}

/** After the commit: the statistic's new value, and the roll-ups of the writer's line. */
async function publishChange(ctx: CampaignsContext, statistic: Statistic, campaign: Campaign) {
  await ctx.bus.publish('statistic.changed', {
    activityId: statistic.activityId,
    statisticId: statistic.id,
    tenantPath: statistic.tenantPath,
    indicator: statistic.indicator,
    value: statistic.value,
    approximate: statistic.approximate,
    version: statistic.version,
  });
  await publishRollupChange(ctx, statistic.tenantPath, campaign);
}

/** After the commit: the roll-ups of the tenant's line (itself and its ancestors) for the campaign's directives changed. */
export async function publishRollupChange(ctx: CampaignsContext, tenantPath: string, campaign: Campaign) {
  await ctx.bus.publish('rollup.changed', {
    tenantIds: tenantPath.split('/').filter(Boolean).map(Number),
    directiveIds: [0, ...campaign.directiveIds],
  });
}

export const statisticService = {
  async record(ctx: CampaignsContext, input: { activityId: string; indicator: Indicator; value: number; approximate?: boolean | null }): Promise<Statistic> {
    checkCount(input.value, 'value', 0);
    const { activity, campaign } = await ownActivity(ctx, input.activityId);
    const statistic = await ensureStatistic(ctx, activity, input.indicator);
    return applyChange(ctx, statistic, campaign, async (tx, locked) => {
      const recorded = { value: input.value, approximate: input.approximate ?? false };
      await recordAudit(tx, ctx.claims, { tenant: locked, action: 'RECORD', entityType: 'Statistic', entityId: locked.id, changes: changesBetween(locked, recorded) });
      return { delta: recorded.value - locked.value, approximate: recorded.approximate };
    });
  },

  /** Adds `by` atomically; the same idempotencyKey twice adds once and answers the same result. */
  async increment(ctx: CampaignsContext, input: { activityId: string; indicator: Indicator; by: number; idempotencyKey?: string | null }): Promise<Statistic> {
    checkCount(input.by, 'by', 1);
    const key = input.idempotencyKey?.trim() || null;
    if (key && key.length > 100) throw badInput('idempotencyKey must be at most 100 characters', 'idempotencyKey');
    const { activity, campaign } = await ownActivity(ctx, input.activityId);
    const asked = { activityId: activity.id, indicator: input.indicator, by: input.by };
    if (key) {
      const replay = await statisticService.replay(ctx, key, asked);
      if (replay) return replay;
    }
    const statistic = await ensureStatistic(ctx, activity, input.indicator);
    try {
      return await ctx.increments.add(ctx, statistic, campaign, input.by, key);
    } catch (err) {
      // the same key claimed concurrently (another request or process): answer as it did
      if (key && isUniqueViolation(err)) {
        const replay = await statisticService.replay(ctx, key, asked);
        if (replay) return replay;
      }
      throw err;
    }
  },

  /**
   * The answer an earlier increment with this key gave, or null when the key is new. A key
   * stands for one increment: used with another activity, indicator or amount it is CONFLICT
   * (its row names the statistic, which is one activity × indicator, and the amount).
   */
  async replay(ctx: CampaignsContext, key: string, asked: { activityId: number; indicator: Indicator; by: number }): Promise<Statistic | null> {
    const [done] = await ctx.data.repo(StatisticIncrement).find({ tenantId: ctx.scope.tenantId, idempotencyKey: key });
    if (!done) return null;
    const statistic = await ctx.data.repo(Statistic).reload(done.statisticId);
    if (!statistic || statistic.activityId !== asked.activityId || statistic.indicator !== asked.indicator || done.by !== asked.by) {
      throw keyUsedElsewhere();
    }
    return Object.assign(new Statistic(), statistic, { value: done.resultValue });
  },
};

export interface RollupResult {
  tenantId: number;
  campaign: Campaign | null;
  totals: { indicator: Indicator; value: number; approximate: boolean }[];
}

/** Totals over a tenant's subtree (optionally for one directive): a key lookup on the roll-up rows. */
export async function readRollup(ctx: CampaignsContext, tenantIdInput: string, campaignIdInput?: string | null): Promise<RollupResult> {
  ctx.scope.requireMember();
  const tenantId = toId(tenantIdInput);
  if (tenantId === null || !(await mayTotal(ctx, tenantId))) throw notFound('Tenant');
  let campaign: Campaign | null = null;
  if (campaignIdInput) {
    campaign = await campaignService.find(ctx, campaignIdInput);
    if (!campaign) throw notFound('Campaign');
  }
  const rows = await ctx.data.repo(RollupTotal).find({ tenantId, directiveId: campaign?.id ?? 0 });
  return { tenantId, campaign, totals: toTotals(rows) };
}

/**
 * The caller totals its own tenant and every descendant: all those in the tenant tree (org's),
 * not only those that have recorded something here. A new city answers empty totals.
 */
async function mayTotal(ctx: CampaignsContext, tenantId: number): Promise<boolean> {
  if (tenantId === ctx.scope.tenantId) return true;
  // org also shows the caller its ancestors (their names); their totals are not the caller's
  if (ctx.scope.tenantPath.includes(`/${tenantId}/`)) return false;
  // roll-up rows in the caller's scope already prove a descendant, without a call to org
  // (the common case, and the one every live board's event takes)
  if ((await ctx.data.repo(RollupTotal).count({ tenantId })) > 0) return true;
  return (await ctx.orgTenant(tenantId)) !== null;
}

function toTotals(rows: RollupTotal[]) {
  const order = Object.values(Indicator);
  return rows
    // a 64-bit total passes SafeInt only after some nine million statistics at the bound;
    // held there rather than failing the whole roll-up (API.md: a total never fails to serialise)
    .map((r) => ({ indicator: r.indicator, value: Math.min(Number(r.value), Number.MAX_SAFE_INTEGER), approximate: r.approximateCount > 0 }))
    .sort((a, b) => order.indexOf(a.indicator) - order.indexOf(b.indicator));
}

/** The roll-ups of every direct child tenant the caller may see (for the roll-up board); empty totals for those with nothing recorded. */
export async function readChildRollups(ctx: CampaignsContext, parent: RollupResult): Promise<RollupResult[]> {
  const childIds = ((await ctx.orgTenant(parent.tenantId))?.childIds ?? []).map(Number).sort((a, b) => a - b);
  if (childIds.length === 0) return [];
  const rows = await ctx.data.repo(RollupTotal).find({ tenantId: In(childIds), directiveId: parent.campaign?.id ?? 0 });
  const byChild = new Map<number, RollupTotal[]>(childIds.map((id) => [id, []]));
  for (const row of rows) byChild.get(row.tenantId)?.push(row);
  return childIds.map((tenantId) => ({ tenantId, campaign: parent.campaign, totals: toTotals(byChild.get(tenantId)!) }));
}
