import { badInput, changesBetween, conflict, createdWithAudit, forbidden, notFound, optionalText, recordAudit, removed, requiredText, ScopedData, toId } from '@cascade/kernel';
import { CampaignsContext } from '../context';
import { In } from 'typeorm';
import { Activity, ActivityKind, Campaign, Indicator, IndicatorTargetData, MAX_STATISTIC_VALUE, Slogan, Statistic, StatisticIncrement, Task } from '../entities';
import { campaignService, lockCampaign, refuseClosed } from './campaign-service';
import { applyChangeIn, publishRollupChange } from './statistic-service';
import { given, shanghaiDay, validDate } from './validate';

export interface CreateActivityData {
  campaignId: string;
  title: string;
  kind: ActivityKind;
  startsAt: Date;
  endsAt?: Date | null;
  location?: string | null;
  leadUnitId?: string | null;
  supportingUnitIds?: string[] | null;
  targets?: IndicatorTargetData[] | null;
}

/** The most targets one activity holds (one per indicator, and far fewer in any plan). */
export const MAX_TARGETS = 20;

/** Targets as given, checked: at most 20, one per indicator, each 1 to MAX_STATISTIC_VALUE. */
export function validTargets(targets: IndicatorTargetData[] | null | undefined): IndicatorTargetData[] {
  const list = targets ?? [];
  if (list.length > MAX_TARGETS) throw badInput(`An activity has at most ${MAX_TARGETS} targets`, 'targets');
  const seen = new Set<Indicator>();
  return list.map(({ indicator, value }, i) => {
    if (seen.has(indicator)) throw badInput(`targets names ${indicator} twice: one target per indicator`, `targets[${i}].indicator`);
    seen.add(indicator);
    if (!Number.isInteger(value) || value < 1 || value > MAX_STATISTIC_VALUE) {
      throw badInput(`A target is an integer from 1 to ${MAX_STATISTIC_VALUE}`, `targets[${i}].value`);
    }
    return { indicator, value };
  });
}

/** updateActivity: the id, and only the fields that change (undefined: kept as is; null clears an optional one). */
export type UpdateActivityData = { id: string } & Partial<Omit<CreateActivityData, 'campaignId'>>;

/** The fields of an activity of `campaign`, checked: the same rules for a new activity and a corrected one. */
async function validActivityFields(ctx: CampaignsContext, campaign: Campaign, input: Omit<CreateActivityData, 'campaignId'>) {
  const title = requiredText(input.title, 'title', 200);
  if (!input.kind) throw badInput('kind is required', 'kind');
  if (!input.startsAt) throw badInput('startsAt is required', 'startsAt');
  const startsAt = validDate(input.startsAt, 'startsAt');
  const endsAt = input.endsAt ? validDate(input.endsAt, 'endsAt') : null;
  if (endsAt && endsAt < startsAt) throw badInput('endsAt must not be before startsAt', 'endsAt');
  checkWindow(campaign, startsAt, endsAt);
  const leadUnitId = input.leadUnitId ? (await ctx.ownUnits([input.leadUnitId], 'leadUnitId'))[0] : null;
  // co-organisers may be units of the tenants above (兵团's offices at 八师's ceremony); the lead unit is the tenant's own
  const supportingUnitIds = await ctx.ownUnits(input.supportingUnitIds ?? [], 'supportingUnitIds', { ancestors: true });
  const targets = validTargets(input.targets);
  return { title, kind: input.kind, startsAt, endsAt, location: optionalText(input.location, 'location', 200), leadUnitId, supportingUnitIds, targets };
}

/** An activity's days (Asia/Shanghai) must fall inside its campaign's window. */
function checkWindow(campaign: Campaign, startsAt: Date, endsAt: Date | null) {
  const firstDay = shanghaiDay(startsAt);
  const lastDay = shanghaiDay(endsAt ?? startsAt);
  if (firstDay < campaign.startsOn || lastDay > campaign.endsOn) {
    throw badInput(`The activity (${firstDay}–${lastDay}) must fall inside the campaign window ${campaign.startsOn}–${campaign.endsOn}`, 'startsAt');
  }
}

/**
 * Inside a correction's transaction: the campaign as committed now, locked until the commit
 * (lockCampaign), and not CLOSED — so a close either waits for the correction or is seen by it.
 */
async function openCampaign(tx: ScopedData, campaignId: number): Promise<Campaign> {
  const current = await lockCampaign(tx, campaignId);
  if (!current) throw notFound('Campaign');
  refuseClosed(current);
  return current;
}

/** Activities, tasks and slogans of a campaign; written by editors of its tenant. */
export const activityService = {
  async find(ctx: CampaignsContext, id: string | number): Promise<Activity | null> {
    const numeric = toId(id);
    return numeric === null ? null : ctx.loaders.activity.load(numeric);
  },

  /**
   * Adds an activity to a campaign of the caller's tenant that is not CLOSED (a report still a
   * draft, or even sent up, does not stop it: only closing does). The campaign is checked as
   * locked inside the write's transaction, like a correction, so a close either waits for the
   * new activity or is seen by it (CONFLICT).
   */
  async create(ctx: CampaignsContext, input: CreateActivityData): Promise<Activity> {
    const campaign = await campaignService.own(ctx, input.campaignId);
    refuseClosed(campaign); // the common refusal, before asking org about units; made again inside the write
    const fields = await validActivityFields(ctx, campaign, input);
    const values = { campaignId: campaign.id, ...fields };
    return createdWithAudit(ctx.data, ctx.claims, 'Activity', values, async (tx) => {
      const current = await openCampaign(tx, campaign.id);
      checkWindow(current, fields.startsAt, fields.endsAt);
      return tx.repo(Activity).insert(values);
    });
  },

  /** An activity of the caller's own tenant, for a write; its campaign must not be CLOSED. */
  async own(ctx: CampaignsContext, id: string): Promise<{ activity: Activity; campaign: Campaign }> {
    ctx.scope.requireRole('EDITOR');
    const activity = await activityService.find(ctx, id);
    if (!activity) throw notFound('Activity');
    if (activity.tenantId !== ctx.scope.tenantId) throw forbidden('Only the owning tenant may change this activity');
    const campaign = await campaignService.get(ctx, activity.campaignId);
    refuseClosed(campaign);
    return { activity, campaign };
  },

  /**
   * Changes the fields given; the result is checked as a new activity is (units with org,
   * before the transaction). The campaign is checked again as locked inside the write's
   * transaction: closed meanwhile, CONFLICT; its window changed meanwhile, checked on the new one.
   */
  async update(ctx: CampaignsContext, input: UpdateActivityData): Promise<Activity> {
    const { activity, campaign } = await activityService.own(ctx, input.id);
    const fields = await validActivityFields(ctx, campaign, {
      title: given(input.title, activity.title),
      kind: given(input.kind, activity.kind),
      startsAt: given(input.startsAt, activity.startsAt),
      endsAt: given(input.endsAt, activity.endsAt),
      location: given(input.location, activity.location),
      leadUnitId: given(input.leadUnitId, activity.leadUnitId === null ? null : String(activity.leadUnitId)),
      supportingUnitIds: given(input.supportingUnitIds, activity.supportingUnitIds.map(String)),
      targets: given(input.targets, activity.targets),
    });
    const updated = await ctx.data.transaction(async (tx) => {
      const current = await openCampaign(tx, campaign.id);
      checkWindow(current, fields.startsAt, fields.endsAt);
      const before = await tx.repo(Activity).reload(activity.id);
      if (!before) throw notFound('Activity');
      await recordAudit(tx, ctx.claims, { tenant: before, action: 'UPDATE', entityType: 'Activity', entityId: activity.id, changes: changesBetween(before, fields) });
      return tx.repo(Activity).update(activity.id, fields);
    });
    ctx.loaders.activity.clear(activity.id);
    return updated;
  },

  /**
   * Deletes an activity that has counted nothing yet: a statistic above 0 answers CONFLICT.
   * A zero statistic marked approximate still counts in the roll-ups' approximate count, so it
   * goes out through applyChangeIn (as a record to exact would) before the rows are deleted,
   * all in one transaction: the roll-up rows stay equal to a recount.
   */
  async delete(ctx: CampaignsContext, id: string): Promise<boolean> {
    const { activity, campaign } = await activityService.own(ctx, id);
    const hadApproximate = await ctx.data.transaction(async (tx) => {
      // a locking read on MySQL: it waits for increments in flight, and a plain read first
      // would fix the transaction's snapshot before them (the lock would then read a stale 0)
      const qb = tx.repo(Statistic).query('s').andWhere('s.activityId = :id', { id: activity.id });
      if (qb.connection.options.type === 'mysql') qb.setLock('pessimistic_write');
      const statistics = await qb.getMany();
      for (const statistic of statistics) {
        await applyChangeIn(tx, statistic, campaign, async (_tx, locked) => {
          if (locked.value > 0) throw conflict(`The activity has counted ${locked.indicator} (${locked.value}): only an activity with no statistic above 0 may be deleted`);
          return { delta: 0, approximate: false };
        });
      }
      // closed meanwhile (applyChangeIn checked it already when there were statistics); the
      // campaign's lock after the statistics' ones, in the order every statistic write takes them
      await openCampaign(tx, campaign.id);
      const increments = statistics.length ? await tx.repo(StatisticIncrement).find({ statisticId: In(statistics.map((s) => s.id)) }) : [];
      for (const increment of increments) await tx.repo(StatisticIncrement).delete(increment.id);
      for (const statistic of statistics) await tx.repo(Statistic).delete(statistic.id);
      const { campaignId, title, kind, startsAt, endsAt, location, leadUnitId, supportingUnitIds, targets } = activity;
      await recordAudit(tx, ctx.claims, {
        tenant: activity,
        action: 'DELETE',
        entityType: 'Activity',
        entityId: activity.id,
        changes: removed({ campaignId, title, kind, startsAt, endsAt, location, leadUnitId, supportingUnitIds, targets }),
      });
      await tx.repo(Activity).delete(activity.id);
      return statistics.some((s) => s.approximate);
    });
    ctx.loaders.activity.clear(activity.id);
    // a roll-up that counted one of its approximate zeros is exact now: its boards hear so
    if (hadApproximate) await publishRollupChange(ctx, activity.tenantPath, campaign);
    return true;
  },

  async assignTask(ctx: CampaignsContext, input: { campaignId: string; unitId: string; title: string; dueOn?: string | null }): Promise<Task> {
    const campaign = await campaignService.own(ctx, input.campaignId);
    const title = requiredText(input.title, 'title', 500);
    const [unitId] = await ctx.ownUnits([input.unitId], 'unitId');
    const values = { campaignId: campaign.id, unitId, title, dueOn: input.dueOn ?? null, doneAt: null };
    return createdWithAudit(ctx.data, ctx.claims, 'Task', values, (tx) => tx.repo(Task).insert(values));
  },

  /** Changes the fields given of a task of the caller's own tenant (null dueOn clears it). */
  async updateTask(ctx: CampaignsContext, input: { id: string; title?: string | null; unitId?: string | null; dueOn?: string | null }): Promise<Task> {
    ctx.scope.requireRole('EDITOR');
    const task = await ctx.data.repo(Task).findById(input.id);
    if (!task) throw notFound('Task');
    if (task.tenantId !== ctx.scope.tenantId) throw forbidden('Only the owning tenant may change this task');
    refuseClosed(await campaignService.get(ctx, task.campaignId)); // the common refusal early; made again inside the write
    const title = requiredText(given(input.title, task.title), 'title', 500);
    const [unitId] = input.unitId === undefined ? [task.unitId] : await ctx.ownUnits(input.unitId === null ? [] : [input.unitId], 'unitId');
    if (!unitId) throw badInput('A task is assigned to a unit', 'unitId');
    const fields = { title, unitId, dueOn: given(input.dueOn, task.dueOn) };
    return ctx.data.transaction(async (tx) => {
      await openCampaign(tx, task.campaignId);
      const before = await tx.repo(Task).reload(task.id);
      if (!before) throw notFound('Task');
      await recordAudit(tx, ctx.claims, { tenant: before, action: 'UPDATE', entityType: 'Task', entityId: task.id, changes: changesBetween(before, fields) });
      return tx.repo(Task).update(task.id, fields);
    });
  },

  async completeTask(ctx: CampaignsContext, id: string): Promise<Task> {
    ctx.scope.requireRole('EDITOR');
    const task = await ctx.data.repo(Task).findById(id);
    if (!task) throw notFound('Task');
    return ctx.data.transaction(async (tx) => {
      const before = await tx.repo(Task).reload(task.id);
      if (!before) throw notFound('Task');
      const doneAt = before.doneAt ?? new Date();
      await recordAudit(tx, ctx.claims, { tenant: before, action: 'UPDATE', entityType: 'Task', entityId: task.id, changes: changesBetween(before, { doneAt }) });
      return tx.repo(Task).update(task.id, { doneAt });
    });
  },

  async addSlogan(ctx: CampaignsContext, input: { campaignId: string; unitId?: string | null; text: string }): Promise<Slogan> {
    const campaign = await campaignService.own(ctx, input.campaignId);
    const text = requiredText(input.text, 'text', 500);
    const [unitId] = input.unitId ? await ctx.ownUnits([input.unitId], 'unitId') : [null];
    const values = { campaignId: campaign.id, unitId, text };
    return createdWithAudit(ctx.data, ctx.claims, 'Slogan', values, (tx) => tx.repo(Slogan).insert(values));
  },
};

/** OPEN, DONE, or OVERDUE when past its due day (Asia/Shanghai) and not done. */
export function taskStatus(task: Task, now = new Date()): 'OPEN' | 'DONE' | 'OVERDUE' {
  if (task.doneAt) return 'DONE';
  if (task.dueOn && task.dueOn < shanghaiDay(now)) return 'OVERDUE';
  return 'OPEN';
}
