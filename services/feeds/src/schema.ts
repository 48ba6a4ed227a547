import { auditRowsResolver, createPubSub, fetchEntities, RequestContext, ServiceModule } from '@cascade/kernel';
import { ActivityAccess, FeedsContext } from './context';
import { FeedEntry, feedsEntities, ScreenLink } from './entities';
import { feedsMigrations } from './migrations';
import { FeedResolver, SubscriptionResolver } from './resolvers/feed-resolver';
import { createScreenResolver } from './resolvers/screen-resolver';

/** The feeds subgraph: live posts and every GraphQL subscription. */
export const feedsModule: ServiceModule<FeedsContext> = {
  name: 'feeds',
  entities: feedsEntities,
  migrations: feedsMigrations,
  subgraph({ config, secrets, bus }) {
    const campaigns = (base: RequestContext) => {
      if (!config.CAMPAIGNS_URL) throw new Error('CAMPAIGNS_URL is not configured');
      return { url: config.CAMPAIGNS_URL, secret: secrets.internalSecret, claims: base.claims };
    };
    const org = (base: RequestContext) => {
      if (!config.ORG_URL) throw new Error('ORG_URL is not configured');
      return { url: config.ORG_URL, secret: secrets.internalSecret, claims: base.claims };
    };
    const extendContext = (base: RequestContext): FeedsContext => ({
      ...base,
      bus,
      async activity(id) {
        const [activity] = await fetchEntities<ActivityAccess>(campaigns(base), 'Activity', [id], 'id tenant { id } statistics { id indicator value approximate version }');
        return activity ?? null;
      },
      async canReadRollup(id) {
        const [rollup] = await fetchEntities<{ id: string }>(campaigns(base), 'Rollup', [id], 'id');
        return !!rollup;
      },
      async tenantPath(id) {
        const [tenant] = await fetchEntities<{ id: string; ancestors: { id: string }[] }>(org(base), 'Tenant', [id], 'id ancestors { id }');
        return tenant ? `/${[...tenant.ancestors.map((a) => a.id), tenant.id].join('/')}/` : null;
      },
    });
    return {
      name: 'feeds',
      resolvers: [auditRowsResolver('feeds'), FeedResolver, SubscriptionResolver, createScreenResolver({ jwtSecret: secrets.jwtSecret, publicUrl: config.PUBLIC_URL })],
      references: {
        FeedEntry: { __resolveReference: (ref: { id: string }, ctx: FeedsContext) => ctx.data.repo(FeedEntry).findById(ref.id) },
        ScreenLink: { __resolveReference: (ref: { id: string }, ctx: FeedsContext) => ctx.data.repo(ScreenLink).findById(ref.id) },
      },
      pubSub: createPubSub(), // type-graphql requires one; the streams come from the event bus
      extendContext,
    };
  },
};
