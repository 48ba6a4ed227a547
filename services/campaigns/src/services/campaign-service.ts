import { badInput, changesBetween, conflict, createdWithAudit, forbidden, MAX_LIST_ITEMS, notFound, optionalText, PageArgs, recordAudit, requiredText, ScopedData, toId } from '@cascade/kernel';
import { Like, Not } from 'typeorm';
import { CampaignsContext } from '../context';
import { Activity, Campaign, CampaignStatus, Indicator, STATUS_MOVES } from '../entities';
import { given, shanghaiDay } from './validate';

export interface CreateCampaignData {
  title: string;
  theme?: string | null;
  startsOn: string;
  endsOn: string;
  focusPoints?: string[] | null;
  reportDueOn?: string | null;
  implementsId?: string | null;
  /** What every report below must state: distinct indicators (none by default). */
  requiredIndicators?: Indicator[] | null;
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
  const requiredIndicators = validRequiredIndicators(input.requiredIndicators);
  return { title, theme, startsOn: input.startsOn, endsOn: input.endsOn, focusPoints, reportDueOn: input.reportDueOn ?? null, requiredIndicators };
}

const INDICATORS = new Set<string>(Object.values(Indicator));

/** A directive's requirements as given, checked: known indicators, each once (null or left out: none). */
export function validRequiredIndicators(list: Indicator[] | null | undefined): Indicator[] {
  const given = list ?? [];
  // the kernel's input guard bounds every list argument first; this holds for any caller
  if (given.length > MAX_LIST_ITEMS) throw badInput(`requiredIndicators holds at most ${MAX_LIST_ITEMS} items`, 'requiredIndicators');
  const seen = new Set<Indicator>();
  given.forEach((indicator, i) => {
    if (!INDICATORS.has(indicator)) throw badInput(`requiredIndicators[${i}] is not an indicator`, `requiredIndicators[${i}]`);
    if (seen.has(indicator)) throw badInput(`requiredIndicators names ${indicator} twice`, `requiredIndicators[${i}]`);
    seen.add(indicator);
  });
  return [...given];
}

/** A CLOSED campaign is the record of what was done: its fields, activities and tasks no longer change. */
export function refuseClosed(campaign: Campaign) {
  if (campaign.status === CampaignStatus.CLOSED) throw conflict('The campaign is CLOSED: it can no longer be changed');
}

/**
 * Why the campaign's statistics may not change, or null while they may: CLOSED, or its report
 * sent up (SUBMITTED or ACCEPTED: reports set the lock). Campaign.statisticsLocked says the same.
 */
export function statisticsLockReason(campaign: Pick<Campaign, 'status' | 'reportLocked'>): string | null {
  if (campaign.status === CampaignStatus.CLOSED) return 'The campaign is CLOSED: its statistics are locked';
  if (campaign.reportLocked) return 'The campaign’s report has been submitted: its statistics are locked';
  return null;
}

/**
 * Inside a write's transaction: the campaign row as committed now, locked until the
 * transaction ends, or null when the caller cannot read it. On MySQL a locking read
 * (FOR UPDATE) waits for any transaction writing the row (setCampaignStatus, the report lock,
 * another write holding it) and reads the latest version whatever the transaction's snapshot,
 * so a check made on it holds until the commit. (A shared lock would let a campaign's writes
 * run side by side, but TypeORM spells it FOR SHARE on MariaDB, which only knows LOCK IN SHARE
 * MODE.) SQLite runs one write transaction at a time, so a plain read is already the latest.
 * Lock order: a statistic's row, then its campaign's (applyChangeIn); a campaign's, then its
 * activities' and tasks' (corrections) — never the other way round.
 */
export async function lockCampaign(tx: ScopedData, campaignId: number, columns?: (keyof Campaign & string)[]): Promise<Campaign | null> {
  const qb = tx.repo(Campaign).query('c').andWhere('c.id = :campaignId', { campaignId });
  if (columns) qb.select(columns.map((column) => `c.${column}`)); // the hot path (every statistic write) reads only what it checks
  if (qb.connection.options.type === 'mysql') qb.setLock('pessimistic_write');
  return qb.getOne();
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
    const values = { ...fields, implementsId, status: CampaignStatus.DRAFT };
    return createdWithAudit(ctx.data, ctx.claims, 'Campaign', values, (tx) =>
      tx.repo(Campaign).insert(values, (row) => ({ directivePath: `${parentPath}${row.id}/` })),
    );
  },

  /**
   * Changes the fields given; the result is checked as a new campaign is, and its activities
   * must stay inside the window. The checks run on the campaign as locked inside the write's
   * transaction: a campaign closed meanwhile answers CONFLICT, and a correction of its
   * activities (which takes the same lock) cannot slip an activity out of the new window.
   */
  async update(ctx: CampaignsContext, input: UpdateCampaignData): Promise<Campaign> {
    const campaign = await campaignService.own(ctx, input.id);
    refuseClosed(campaign); // the common refusal, without a transaction; made again inside it
    const updated = await ctx.data.transaction(async (tx) => {
      const current = await lockCampaign(tx, campaign.id);
      if (!current) throw notFound('Campaign');
      refuseClosed(current);
      const fields = validCampaignFields({
        title: given(input.title, current.title),
        theme: given(input.theme, current.theme),
        startsOn: given(input.startsOn, current.startsOn),
        endsOn: given(input.endsOn, current.endsOn),
        focusPoints: given(input.focusPoints, current.focusPoints),
        reportDueOn: given(input.reportDueOn, current.reportDueOn),
        requiredIndicators: given(input.requiredIndicators, current.requiredIndicators),
      });
      for (const activity of await tx.repo(Activity).find({ campaignId: campaign.id })) {
        const firstDay = shanghaiDay(activity.startsAt);
        const lastDay = shanghaiDay(activity.endsAt ?? activity.startsAt);
        if (firstDay < fields.startsOn || lastDay > fields.endsOn) {
          throw badInput(`The activity "${activity.title}" (${firstDay}–${lastDay}) would fall outside the window ${fields.startsOn}–${fields.endsOn}`, 'startsOn');
        }
      }
      await recordAudit(tx, ctx.claims, { tenant: current, action: 'UPDATE', entityType: 'Campaign', entityId: campaign.id, changes: changesBetween(current, fields) });
      return tx.repo(Campaign).update(campaign.id, fields);
    });
    ctx.loaders.campaign.clear(campaign.id);
    return updated;
  },

  /**
   * Locks or unlocks the campaign's statistics while its report is sent up (reports' submit,
   * return and accept call it as their caller; hidden from the public API). An ADMIN of the
   * campaign's tenant (submitting) or of a tenant above it (returning) may; a campaign the
   * caller cannot read is NOT_FOUND, one it reads but is below (a directive above it) FORBIDDEN.
   * Written in a transaction that takes the campaign's row lock, so statistic writes in flight
   * finish first and every later one reads the lock.
   */
  async setStatisticsLock(ctx: CampaignsContext, id: string, locked: boolean): Promise<boolean> {
    ctx.scope.requireRole('ADMIN');
    const campaign = await campaignService.get(ctx, id);
    if (!ctx.scope.isAtOrAbove(campaign.tenantPath)) throw forbidden('Only an admin of the campaign’s tenant or of a tenant above it locks its statistics');
    await ctx.data.transaction(async (tx) => {
      const current = await lockCampaign(tx, campaign.id, ['id', 'tenantId', 'tenantPath', 'reportLocked']);
      if (!current) throw notFound('Campaign');
      // unscoped: ScopedRepository.update writes own-tenant rows only, and a parent's admin unlocks its child's campaign; authorised just above (isAtOrAbove), one column of one row
      await tx.manager.update(Campaign, { id: campaign.id }, { reportLocked: locked });
      await recordAudit(tx, ctx.claims, {
        tenant: current,
        action: locked ? 'LOCK_STATISTICS' : 'UNLOCK_STATISTICS',
        entityType: 'Campaign',
        entityId: campaign.id,
        changes: changesBetween(current, { reportLocked: locked }),
      });
    });
    ctx.loaders.campaign.clear(campaign.id);
    return locked;
  },

  /**
   * One step forward, decided on the campaign as locked inside the write's transaction: two
   * moves at once are one after the other (the second sees the first), and the row written is
   * the one read after the lock, so a report lock set meanwhile is not written back unset.
   */
  async moveStatus(ctx: CampaignsContext, id: string, status: CampaignStatus): Promise<Campaign> {
    const campaign = await campaignService.own(ctx, id);
    const moved = await ctx.data.transaction(async (tx) => {
      const current = await lockCampaign(tx, campaign.id);
      if (!current) throw notFound('Campaign');
      if (!STATUS_MOVES[current.status].includes(status)) {
        const order = Object.values(CampaignStatus);
        // going back (reopening a CLOSED campaign too) contradicts the campaign's state; skipping a step is a bad request
        if (order.indexOf(status) <= order.indexOf(current.status)) throw conflict(`A ${current.status} campaign cannot go back to ${status}`);
        throw badInput(`A ${current.status} campaign cannot become ${status}`, 'status');
      }
      // closing is recorded: who and when (the statistics are locked from then on)
      const closing = status === CampaignStatus.CLOSED ? { closedAt: new Date(), closedById: toId(ctx.claims.userId ?? '') } : {};
      await recordAudit(tx, ctx.claims, { tenant: current, action: 'STATUS', entityType: 'Campaign', entityId: campaign.id, changes: changesBetween(current, { status, ...closing }) });
      return tx.repo(Campaign).update(campaign.id, { status, ...closing });
    });
    ctx.loaders.campaign.clear(campaign.id);
    return moved;
  },

  /** Every campaign implementing this one, at any depth, that the caller may read. */
  implementations(ctx: CampaignsContext, campaign: Campaign): Promise<Campaign[]> {
    return ctx.data.repo(Campaign).find({ directivePath: Like(`%/${campaign.id}/%`), id: Not(campaign.id) });
  },
};
