import { Arg, Ctx, Directive, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { FeedsContext } from '../context';
import { FeedEntry } from '../entities';
import { feedService } from '../services/feed-service';
import { ActivityRef, FeedEntryConnection, PostFeedEntryInput, ReportRef, RollupRef, StatisticRef, UserRef } from './types';

@Resolver(() => FeedEntry)
export class FeedResolver {
  @Query(() => FeedEntryConnection, { description: 'Newest first' })
  feed(
    @Arg('activityId', () => ID) activityId: string,
    @Ctx() ctx: FeedsContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    return feedService.list(ctx, activityId, { first, after });
  }

  @Mutation(() => FeedEntry)
  postFeedEntry(@Arg('input') input: PostFeedEntryInput, @Ctx() ctx: FeedsContext) {
    return feedService.post(ctx, input);
  }

  @FieldResolver(() => ActivityRef)
  activity(@Root() entry: FeedEntry) {
    return { id: String(entry.activityId) };
  }

  @FieldResolver(() => UserRef)
  author(@Root() entry: FeedEntry) {
    return { id: String(entry.authorId) };
  }

  @FieldResolver(() => Date)
  postedAt(@Root() entry: FeedEntry) {
    return entry.createdAt;
  }
}

/** Every GraphQL subscription of the platform. Payload fields owned elsewhere resolve there. */
@Resolver()
export class SubscriptionResolver {
  @Subscription(() => FeedEntry, {
    subscribe: ({ args, context }) => feedService.entryAdded(context as FeedsContext, args.activityId),
  })
  async feedEntryAdded(@Root() event: { entryId: number }, @Arg('activityId', () => ID) _activityId: string, @Ctx() ctx: FeedsContext) {
    return ctx.data.repo(FeedEntry).findById(event.entryId);
  }

  @Directive('@provides(fields: "indicator value approximate")')
  @Subscription(() => StatisticRef, {
    description: "First event: each of the activity's current values",
    subscribe: ({ args, context }) => feedService.statisticChanged(context as FeedsContext, args.activityId),
  })
  statisticChanged(@Root() event: StatisticRef, @Arg('activityId', () => ID) _activityId: string) {
    return event;
  }

  @Subscription(() => RollupRef, {
    description: 'First event: the current roll-up',
    subscribe: ({ args, context }) => feedService.rollupChanged(context as FeedsContext, args.tenantId, args.campaignId),
  })
  rollupChanged(
    @Root() event: RollupRef,
    @Arg('tenantId', () => ID) _tenantId: string,
    @Arg('campaignId', () => ID, { nullable: true }) _campaignId?: string,
  ) {
    return event;
  }

  @Subscription(() => ReportRef, {
    description: 'Every report of a tenant below tenantId (the caller’s own tenant or a descendant) as it is submitted, returned or accepted; no first event',
    subscribe: ({ args, context }) => feedService.reportChanged(context as FeedsContext, args.tenantId),
  })
  reportChanged(@Root() event: ReportRef, @Arg('tenantId', () => ID) _tenantId: string) {
    return event;
  }
}
