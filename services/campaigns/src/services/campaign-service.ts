import { badInput, conflict, forbidden, notFound, optionalText, PageArgs, requiredText, toId } from '@cascade/kernel';
import { Like, Not } from 'typeorm';
import { CampaignsContext } from '../context';
import { Campaign, CampaignStatus, STATUS_MOVES } from '../entities';
import { given, shanghaiDay } from './validate';

export interface CreateCampaignData {
  title: string;
  theme?: string | null;
  startsOn: string;
  endsOn: string;
  focusPoints?: string[] | null;
  reportDueOn?: string | null;
  implementsId?: string | null;
}

/** updateCampaign: the id, and only the fields that change (undefined: kept as is). */
export type UpdateCampaignData = { id: string } & Partial<Omit<CreateCampaignData, 'implementsId'>>;

/** The editable fields of a campaign, checked as createCampaign checks them. */
function validCampaignFields(input: Omit<CreateCampaignData, 'implementsId'>) {
  const title = requiredText(input.title, 'title', 200);
  const theme = optionalText(input.theme, 'theme', 200);
  if (!input.startsOn) throw badInput('startsOn is required', 'startsOn');
  if (!input.endsOn) throw badInput('endsOn is required', 'endsOn');
  if (input.endsOn < input.startsOn) throw badInput('endsOn must not be before startsOn', 'endsOn');
  if (input.reportDueOn && input.reportDueOn < input.startsOn) throw badInput('reportDueOn must not be before startsOn', 'reportDueOn');
  if ((input.focusPoints ?? []).length > 50) throw badInput('at most 50 focus points', 'focusPoints');
  const focusPoints = (input.focusPoints ?? []).map((p, i) => requiredText(p, `focusPoints[${i}]`, 500));
  return { title, theme, startsOn: input.startsOn, endsOn: input.endsOn, focusPoints, reportDueOn: input.reportDueOn ?? null };
}

/** A CLOSED campaign is the record of what was done: its fields, activities and tasks no longer change. */
export function refuseClosed(campaign: Campaign) {
  if (campaign.status === CampaignStatus.CLOSED) throw conflict('The campaign is CLOSED: it can no longer be changed');
}

/** Campaigns and the directive cascade. */
export const campaignService = {
  /** A campaign the caller may read: its own or a descendant's, or a published directive above it. */
  async find(ctx: CampaignsContext, id: string | number): Promise<Campaign | null> {
    const numeric = toId(id);
    return numeric === null ? null : ctx.loaders.campaign.load(numeric);
  },

  async get(ctx: CampaignsContext, id: string | number): Promise<Campaign> {
    const campaign = await campaignService.find(ctx, id);
    if (!campaign) throw notFound('Campaign');
    return campaign;
  },

  /** A campaign of the caller's own tenant, for writes. */
  async own(ctx: CampaignsContext, id: string | number): Promise<Campaign> {
    ctx.scope.requireRole('EDITOR');
    const campaign = await campaignService.get(ctx, id);
    if (campaign.tenantId !== ctx.scope.tenantId) throw forbidden('Only the owning tenant may change this campaign');
    return campaign;
  },

  list(ctx: CampaignsContext, args: PageArgs & { tenantId?: string | null; status?: CampaignStatus | null }) {
    const where: Record<string, unknown> = {};
    if (args.tenantId) where.tenantId = toId(args.tenantId) ?? -1;
    if (args.status) where.status = args.status;
    return ctx.data.repo(Campaign).page(args, where);
  },

  async create(ctx: CampaignsContext, input: CreateCampaignData): Promise<Campaign> {
    ctx.scope.requireRole('EDITOR');
    const fields = validCampaignFields(input);
    let parentPath = '/';
    let implementsId: number | null = null;
    if (input.implementsId) {
      const directive = await campaignService.find(ctx, input.implementsId);
      // only a directive of an ancestor tenant: not the caller's own, not a descendant's
      if (!directive || directive.tenantId === ctx.scope.tenantId || !ctx.scope.tenantPath.startsWith(directive.tenantPath)) {
        throw notFound('Directive');
      }
      parentPath = directive.directivePath;
      implementsId = directive.id;
    }
    return ctx.data.repo(Campaign).insert(
      { ...fields, implementsId, status: CampaignStatus.DRAFT },
      (row) => ({ directivePath: `${parentPath}${row.id}/` }),
    );
  },

  /** Changes the fields given; the result is checked as a new campaign is, and its activities must stay inside the window. */
  async update(ctx: CampaignsContext, input: UpdateCampaignData): Promise<Campaign> {
    const campaign = await campaignService.own(ctx, input.id);
    refuseClosed(campaign);
    const fields = validCampaignFields({
      title: given(input.title, campaign.title),
      theme: given(input.theme, campaign.theme),
      startsOn: given(input.startsOn, campaign.startsOn),
      endsOn: given(input.endsOn, campaign.endsOn),
      focusPoints: given(input.focusPoints, campaign.focusPoints),
      reportDueOn: given(input.reportDueOn, campaign.reportDueOn),
    });
    for (const activity of await ctx.loaders.activitiesOf.load(campaign.id)) {
      const firstDay = shanghaiDay(activity.startsAt);
      const lastDay = shanghaiDay(activity.endsAt ?? activity.startsAt);
      if (firstDay < fields.startsOn || lastDay > fields.endsOn) {
        throw badInput(`The activity "${activity.title}" (${firstDay}–${lastDay}) would fall outside the window ${fields.startsOn}–${fields.endsOn}`, 'startsOn');
      }
    }
    return ctx.data.repo(Campaign).update(campaign.id, fields);
  },

  async moveStatus(ctx: CampaignsContext, id: string, status: CampaignStatus): Promise<Campaign> {
    const campaign = await campaignService.own(ctx, id);
    if (!STATUS_MOVES[campaign.status].includes(status)) {
      const order = Object.values(CampaignStatus);
      // going back (reopening a CLOSED campaign too) contradicts the campaign's state; skipping a step is a bad request
      if (order.indexOf(status) <= order.indexOf(campaign.status)) throw conflict(`A ${campaign.status} campaign cannot go back to ${status}`);
      throw badInput(`A ${campaign.status} campaign cannot become ${status}`, 'status');
    }
    // closing is recorded: who and when (the statistics are locked from then on)
    const closing = status === CampaignStatus.CLOSED ? { closedAt: new Date(), closedById: toId(ctx.claims.userId ?? '') } : {};
    return ctx.data.repo(Campaign).update(campaign.id, { status, ...closing });
  },

  /** Every campaign implementing this one, at any depth, that the caller may read. */
  implementations(ctx: CampaignsContext, campaign: Campaign): Promise<Campaign[]> {
    return ctx.data.repo(Campaign).find({ directivePath: Like(`%/${campaign.id}/%`), id: Not(campaign.id) });
  },
};
