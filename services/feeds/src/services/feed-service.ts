import { createdWithAudit, eventStream, forbidden, notFound, PageArgs, ReportChangedEvent, requiredText, toId } from '@cascade/kernel';
import { ActivityAccess, FeedsContext, StatisticState } from '../context';
import { FeedEntry } from '../entities';

const MAX_TEXT = 2000;

/**
 * The report states an ancestor reads (reports' visibility.ts: SENT_UP); repeated here because
 * feeds reads no reports code. An event in any other state is never streamed.
 */
const SENT_UP = ['SUBMITTED', 'RETURNED', 'ACCEPTED'];

async function visibleActivity(ctx: FeedsContext, activityId: string): Promise<ActivityAccess> {
  ctx.scope.requireMember();
  if (toId(activityId) === null) throw notFound('Activity');
  const activity = await ctx.activity(activityId);
  if (!activity) throw notFound('Activity');
  return activity;
}

/** Live feeds: posts, and the streams behind every subscription. */
export const feedService = {
  async post(ctx: FeedsContext, input: { activityId: string; text: string }): Promise<FeedEntry> {
    ctx.scope.requireRole('EDITOR');
    // long text: a post keeps its line breaks
    const text = requiredText(input.text, 'text', MAX_TEXT, { multiline: true });
    const activity = await visibleActivity(ctx, input.activityId);
    if (activity.tenant.id !== ctx.claims.tenantId) throw forbidden('Only editors of the activity’s own tenant post to its feed');
    const values = { activityId: Number(activity.id), text, authorId: Number(ctx.claims.userId) };
    const entry = await createdWithAudit(ctx.data, ctx.claims, 'FeedEntry', values, (tx) => tx.repo(FeedEntry).insert(values));
    await ctx.bus.publish('feed.posted', { activityId: entry.activityId, entryId: entry.id, tenantPath: entry.tenantPath });
    return entry;
  },

  async list(ctx: FeedsContext, activityId: string, args: PageArgs) {
    const activity = await visibleActivity(ctx, activityId);
    return ctx.data.repo(FeedEntry).page(args, { activityId: Number(activity.id) }, 'DESC');
  },

  async entryAdded(ctx: FeedsContext, activityId: string) {
    const activity = await visibleActivity(ctx, activityId);
    const id = Number(activity.id);
    return eventStream(ctx.bus, 'feed.posted', (e) => e.activityId === id, (e) => ({ entryId: e.entryId }), async () => []);
  },

  /**
   * First the activity's current statistics, then each change, each with its value as it was
   * committed (the gateway reads nothing more for `indicator value approximate`: @provides).
   * A state older than one already streamed is dropped, by its version: the event of a change
   * committed before the first read can arrive after it, and with several campaigns processes
   * two events of one statistic can cross on the bus. No subscriber is sent a stale value.
   */
  async statisticChanged(ctx: FeedsContext, activityId: string) {
    const id = toId(activityId);
    const streamed = new Map<string, number>(); // statistic id → version streamed last
    const newer = (s: StatisticState) => {
      if ((streamed.get(s.id) ?? -1) >= s.version) return false;
      streamed.set(s.id, s.version);
      return true;
    };
    const stream = await eventStream(
      ctx.bus,
      'statistic.changed',
      (e) => e.activityId === id,
      (e): StatisticState => ({ id: String(e.statisticId), indicator: e.indicator, value: e.value, approximate: e.approximate, version: e.version }),
      async () => (await visibleActivity(ctx, activityId)).statistics,
    );
    return filtered(stream, newer);
  },

  /** First the current roll-up, then a fresh one whenever a statistic below it changes. */
  async rollupChanged(ctx: FeedsContext, tenantId: string, campaignId?: string | null) {
    ctx.scope.requireMember();
    const tenant = toId(tenantId);
    const directive = campaignId ? toId(campaignId) : 0;
    if (tenant === null || directive === null) throw notFound('Rollup');
    const id = `${tenant}:${directive}`;
    if (!(await ctx.canReadRollup(id))) throw notFound('Rollup');
    return eventStream(
      ctx.bus,
      'rollup.changed',
      (e) => e.tenantIds.includes(tenant) && e.directiveIds.includes(directive),
      () => ({ id }),
      async () => [{ id }],
    );
  },

  /**
   * Every report of a tenant strictly below `tenantId` that is sent up, returned or accepted
   * (a board's reporting progress). `tenantId` is the caller's own tenant or a descendant.
   * The filter is reports' own rule for an ancestor (visibility.ts canRead: sent up, path
   * below the reader's), so every event streamed is one the gateway can resolve for this
   * subscriber: a report it may not read is dropped here, never sent as an error. No first
   * event: a board reads `Campaign.reporting` first, over HTTP.
   */
  async reportChanged(ctx: FeedsContext, tenantId: string) {
    ctx.scope.requireMember();
    // reports are never shown on a big screen (reports' canRead refuses screen claims too)
    if (ctx.claims.screen) throw forbidden('A screen link cannot follow reports');
    const id = toId(tenantId);
    if (id === null) throw notFound('Tenant');
    const own = ctx.scope.tenantPath;
    const path = id === ctx.scope.tenantId ? own : await ctx.tenantPath(String(id));
    // org also names the tenants above the caller: only its own subtree is followed
    if (!path || !path.startsWith(own)) throw notFound('Tenant');
    const below = (e: ReportChangedEvent) =>
      typeof e.tenantPath === 'string' && e.tenantPath.startsWith(path) && e.tenantPath !== path && e.tenantPath.startsWith(own) && SENT_UP.includes(e.status);
    return eventStream(ctx.bus, 'report.changed', below, (e) => ({ id: String(e.reportId) }), async () => []);
  },
};

/**
 * The values of `source` that pass `keep`, in order, as the iterator type-graphql reads (ending
 * it ends the source: the bus subscription is released at once).
 */
function filtered<T>(source: AsyncIterableIterator<T>, keep: (value: T) => boolean): AsyncIterableIterator<T> {
  const iterator: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]: () => iterator,
    async next() {
      for (;;) {
        const step = await source.next();
        if (step.done || keep(step.value)) return step;
      }
    },
    return: (value?: unknown) => source.return?.(value) ?? Promise.resolve({ done: true, value: undefined }),
    throw: (err?: unknown) => source.throw?.(err) ?? Promise.reject(err),
  };
  return iterator;
}
