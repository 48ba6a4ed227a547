import { badInput, notFound, optionalText, requiredText, toId } from '@cascade/kernel';
import { CampaignsContext } from '../context';
import { Activity, ActivityKind, Indicator, IndicatorTargetData, MAX_STATISTIC_VALUE, Slogan, Task } from '../entities';
import { campaignService } from './campaign-service';
import { shanghaiDay, validDate } from './validate';

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

/** Activities, tasks and slogans of a campaign; written by editors of its tenant. */
export const activityService = {
  async find(ctx: CampaignsContext, id: string | number): Promise<Activity | null> {
    const numeric = toId(id);
    return numeric === null ? null : ctx.loaders.activity.load(numeric);
  },

  async create(ctx: CampaignsContext, input: CreateActivityData): Promise<Activity> {
    const campaign = await campaignService.own(ctx, input.campaignId);
    const title = requiredText(input.title, 'title', 200);
    const startsAt = validDate(input.startsAt, 'startsAt');
    const endsAt = input.endsAt ? validDate(input.endsAt, 'endsAt') : null;
    if (endsAt && endsAt < startsAt) throw badInput('endsAt must not be before startsAt', 'endsAt');
    const firstDay = shanghaiDay(startsAt);
    const lastDay = shanghaiDay(endsAt ?? startsAt);
    if (firstDay < campaign.startsOn || lastDay > campaign.endsOn) {
      throw badInput(`The activity (${firstDay}–${lastDay}) must fall inside the campaign window ${campaign.startsOn}–${campaign.endsOn}`, 'startsAt');
    }
    const leadUnitId = input.leadUnitId ? (await ctx.ownUnits([input.leadUnitId], 'leadUnitId'))[0] : null;
    const supportingUnitIds = await ctx.ownUnits(input.supportingUnitIds ?? [], 'supportingUnitIds');
    const targets = validTargets(input.targets);
    return ctx.data.repo(Activity).insert({
      campaignId: campaign.id,
      title,
      kind: input.kind,
      startsAt,
      endsAt,
      location: optionalText(input.location, 'location', 200),
      leadUnitId,
      supportingUnitIds,
      targets,
    });
  },

  async assignTask(ctx: CampaignsContext, input: { campaignId: string; unitId: string; title: string; dueOn?: string | null }): Promise<Task> {
    const campaign = await campaignService.own(ctx, input.campaignId);
    const title = requiredText(input.title, 'title', 500);
    const [unitId] = await ctx.ownUnits([input.unitId], 'unitId');
    return ctx.data.repo(Task).insert({ campaignId: campaign.id, unitId, title, dueOn: input.dueOn ?? null, doneAt: null });
  },

  async completeTask(ctx: CampaignsContext, id: string): Promise<Task> {
    ctx.scope.requireRole('EDITOR');
    const task = await ctx.data.repo(Task).findById(id);
    if (!task) throw notFound('Task');
    return ctx.data.repo(Task).update(task.id, { doneAt: task.doneAt ?? new Date() });
  },

  async addSlogan(ctx: CampaignsContext, input: { campaignId: string; unitId?: string | null; text: string }): Promise<Slogan> {
    const campaign = await campaignService.own(ctx, input.campaignId);
    const text = requiredText(input.text, 'text', 500);
    const [unitId] = input.unitId ? await ctx.ownUnits([input.unitId], 'unitId') : [null];
    return ctx.data.repo(Slogan).insert({ campaignId: campaign.id, unitId, text });
  },
};

/** OPEN, DONE, or OVERDUE when past its due day (Asia/Shanghai) and not done. */
export function taskStatus(task: Task, now = new Date()): 'OPEN' | 'DONE' | 'OVERDUE' {
  if (task.doneAt) return 'DONE';
  if (task.dueOn && task.dueOn < shanghaiDay(now)) return 'OVERDUE';
  return 'OPEN';
}
