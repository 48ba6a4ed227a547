import { ConnectionType, Indicator } from '@cascade/kernel';
import { GraphQLSafeInt } from 'graphql-scalars';
import { Directive, Field, ID, InputType, ObjectType } from 'type-graphql';
import { FeedEntry } from '../entities';

/** Owned by campaigns: the activity a feed entry or statistic belongs to. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Activity')
export class ActivityRef {
  @Field(() => ID)
  id: string;
}

/** Owned by org: the author of a feed entry. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('User')
export class UserRef {
  @Field(() => ID)
  id: string;
}

/**
 * Owned by campaigns: streamed by `statisticChanged`, which carries the state the event carried
 * (@provides: the gateway asks campaigns only for the other fields, e.g. `activity`).
 */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Statistic')
export class StatisticRef {
  @Field(() => ID)
  id: string;

  @Directive('@external')
  @Field(() => Indicator)
  indicator: Indicator;

  @Directive('@external')
  @Field(() => GraphQLSafeInt)
  value: number;

  @Directive('@external')
  @Field()
  approximate: boolean;
}

/** Owned by campaigns ("<tenantId>:<campaignId or 0>"): streamed by `rollupChanged`. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Rollup')
export class RollupRef {
  @Field(() => ID)
  id: string;
}

/** Owned by reports: streamed by `reportChanged`, its fields resolved there per event under the subscriber's scope. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Report')
export class ReportRef {
  @Field(() => ID)
  id: string;
}

export const FeedEntryConnection = ConnectionType(FeedEntry, 'FeedEntry');

@InputType()
export class PostFeedEntryInput {
  @Field(() => ID)
  activityId: string;

  @Field()
  text: string;
}

/** Owned by org. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Tenant')
export class TenantRef {
  @Field(() => ID)
  id: string;
}

@InputType()
export class CreateScreenLinkInput {
  @Field(() => ID, { nullable: true, description: 'Exactly one of activityId / tenantId' })
  activityId?: string | null;

  @Field(() => ID, { nullable: true })
  tenantId?: string | null;

  @Field(() => ID, { nullable: true, description: 'For a tenant roll-up board: totals of this campaign and its implementations' })
  campaignId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Default: 7 days from now; at most 90 days' })
  expiresAt?: Date | null;
}
