import { ConnectionType } from '@cascade/kernel';
import { GraphQLSafeInt } from 'graphql-scalars';
import { Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ActivityKind, Campaign, CampaignStatus, Indicator } from '../entities';
import { DateScalar } from '../scalars';

/** Tenant is owned by org; this subgraph adds `campaigns` to it. */
@Directive('@key(fields: "id")')
@ObjectType('Tenant')
export class TenantRef {
  @Field(() => ID)
  id: string;
}

/** ScreenLink is owned by feeds; its `campaign` resolves here from the link's campaign id. */
@Directive('@key(fields: "id")')
@ObjectType('ScreenLink')
export class ScreenLinkRef {
  @Field(() => ID)
  id: string;

  @Directive('@external')
  @Field(() => ID, { nullable: true })
  campaignId?: string | null;
}

/** User is owned by org; referenced as the one who closed a campaign. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('User')
export class UserRef {
  @Field(() => ID)
  id: string;
}

/** Unit is owned by org; referenced by activities, tasks and slogans. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Unit')
export class UnitRef {
  @Field(() => ID)
  id: string;
}

export const unitRef = (id: number | null) => (id ? { id: String(id) } : null);
export const tenantRef = (id: number) => ({ id: String(id) });

@ObjectType()
export class IndicatorTotal {
  @Field(() => Indicator)
  indicator: Indicator;

  /** A sum over a whole subtree: beyond 32 bits long before any one statistic is. */
  @Field(() => GraphQLSafeInt)
  value: number;

  @Field({ description: 'Some statistic counted in it is approximate (the text says 余/多)' })
  approximate: boolean;
}

/** What an activity aims for on one indicator (万人签名: SIGNATURES 10000). */
@ObjectType()
export class IndicatorTarget {
  @Field(() => Indicator)
  indicator: Indicator;

  @Field(() => GraphQLSafeInt)
  value: number;
}

@InputType()
export class IndicatorTargetInput {
  @Field(() => Indicator)
  indicator: Indicator;

  @Field(() => Int)
  value: number;
}

/**
 * A roll-up is an entity keyed "<tenantId>:<campaignId or 0>", so the feeds subgraph can
 * stream `rollupChanged` and the gateway resolves its totals here, under the subscriber's scope.
 */
@Directive('@key(fields: "id")')
@ObjectType()
export class Rollup {
  @Field(() => ID)
  id: string;

  @Field(() => TenantRef)
  tenant: TenantRef;

  @Field(() => Campaign, { nullable: true })
  campaign: Campaign | null;

  @Field(() => [IndicatorTotal])
  totals: IndicatorTotal[];

  /** Kept to compute `children`; not in the schema. */
  source?: import('../services/statistic-service').RollupResult;
}

export const CampaignConnection = ConnectionType(Campaign, 'Campaign');

@InputType()
export class CreateCampaignInput {
  @Field()
  title: string;

  @Field(() => String, { nullable: true })
  theme?: string | null;

  @Field(() => DateScalar)
  startsOn: string;

  @Field(() => DateScalar)
  endsOn: string;

  @Field(() => [String], { nullable: true })
  focusPoints?: string[] | null;

  @Field(() => DateScalar, { nullable: true })
  reportDueOn?: string | null;

  @Field(() => ID, { nullable: true, description: 'A published campaign of an ancestor tenant that this one implements' })
  implementsId?: string | null;

  @Field(() => [Indicator], { nullable: true, description: 'What every report below must state: distinct indicators (default none)' })
  requiredIndicators?: Indicator[] | null;
}

@InputType()
export class CreateActivityInput {
  @Field(() => ID)
  campaignId: string;

  @Field()
  title: string;

  @Field(() => ActivityKind)
  kind: ActivityKind;

  @Field(() => Date)
  startsAt: Date;

  @Field(() => Date, { nullable: true })
  endsAt?: Date | null;

  @Field(() => String, { nullable: true })
  location?: string | null;

  @Field(() => ID, { nullable: true })
  leadUnitId?: string | null;

  @Field(() => [ID], { nullable: true })
  supportingUnitIds?: string[] | null;

  @Field(() => [IndicatorTargetInput], { nullable: true, description: 'At most 20, one per indicator, each 1 to 1,000,000,000' })
  targets?: IndicatorTargetInput[] | null;
}

@InputType()
export class AssignTaskInput {
  @Field(() => ID)
  campaignId: string;

  @Field(() => ID)
  unitId: string;

  @Field()
  title: string;

  @Field(() => DateScalar, { nullable: true })
  dueOn?: string | null;
}

@InputType()
export class AddSloganInput {
  @Field(() => ID)
  campaignId: string;

  @Field(() => ID, { nullable: true })
  unitId?: string | null;

  @Field()
  text: string;
}

@InputType()
export class RecordStatisticInput {
  @Field(() => ID)
  activityId: string;

  @Field(() => Indicator)
  indicator: Indicator;

  @Field(() => Int)
  value: number;

  @Field(() => Boolean, { nullable: true, description: 'The documents’ 余/多: more than this value' })
  approximate?: boolean | null;
}

@InputType()
export class IncrementStatisticInput {
  @Field(() => ID)
  activityId: string;

  @Field(() => Indicator)
  indicator: Indicator;

  @Field(() => Int)
  by: number;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}

export { CampaignStatus };

/** Corrections: only the fields given change (left out: kept; null clears an optional field). */
@InputType()
export class UpdateCampaignInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true })
  theme?: string | null;

  @Field(() => DateScalar, { nullable: true })
  startsOn?: string | null;

  @Field(() => DateScalar, { nullable: true })
  endsOn?: string | null;

  @Field(() => [String], { nullable: true })
  focusPoints?: string[] | null;

  @Field(() => DateScalar, { nullable: true })
  reportDueOn?: string | null;

  @Field(() => [Indicator], { nullable: true, description: 'Replaces the requirements: distinct indicators (null clears them)' })
  requiredIndicators?: Indicator[] | null;
}

@InputType()
export class UpdateActivityInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => ActivityKind, { nullable: true })
  kind?: ActivityKind | null;

  @Field(() => Date, { nullable: true })
  startsAt?: Date | null;

  @Field(() => Date, { nullable: true })
  endsAt?: Date | null;

  @Field(() => String, { nullable: true })
  location?: string | null;

  @Field(() => ID, { nullable: true })
  leadUnitId?: string | null;

  @Field(() => [ID], { nullable: true })
  supportingUnitIds?: string[] | null;

  @Field(() => [IndicatorTargetInput], { nullable: true, description: 'Replaces the targets: at most 20, one per indicator, each 1 to 1,000,000,000' })
  targets?: IndicatorTargetInput[] | null;
}

@InputType()
export class UpdateTaskInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => ID, { nullable: true })
  unitId?: string | null;

  @Field(() => DateScalar, { nullable: true })
  dueOn?: string | null;
}
