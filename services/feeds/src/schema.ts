import { createPubSub, fetchEntities, RequestContext, ServiceModule } from '@cascade/kernel';
import { ActivityAccess, FeedsContext } from './context';
import { FeedEntry, feedsEntities } from './entities/feed-entry';
import { feedsMigrations } from './migrations/1732800000000-FeedsInitial';
import { FeedResolver, SubscriptionResolver } from './resolvers/feed-resolver';

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
    const extendContext = (base: RequestContext): FeedsContext => ({
      ...base,
      bus,
      async activity(id) {
        const [activity] = await fetchEntities<ActivityAccess>(campaigns(base), 'Activity', [id], 'id tenant { id } statistics { id }');
        return activity ?? null;
      },
      async canReadRollup(id) {
        const [rollup] = await fetchEntities<{ id: string }>(campaigns(base), 'Rollup', [id], 'id');
        return !!rollup;
      },
    });
    return {
      name: 'feeds',
      resolvers: [FeedResolver, SubscriptionResolver],
      references: {
        FeedEntry: { __resolveReference: (ref: { id: string }, ctx: FeedsContext) => ctx.data.repo(FeedEntry).findById(ref.id) },
      },
      pubSub: createPubSub(), // type-graphql requires one; the streams come from the event bus
      extendContext,
    };
  },
};
