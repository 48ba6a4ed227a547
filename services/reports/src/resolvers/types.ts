import { Directive, Field, ID, InputType, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { Indicator, Report, ReportingState } from '../entities';

/** Owned by campaigns; this subgraph adds `report` and `reporting` to it. */
@Directive('@key(fields: "id")')
@ObjectType('Campaign')
export class CampaignRef {
  @Field(() => ID)
  id: string;
}

/** Owned by org. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Tenant')
export class TenantRef {
  @Field(() => ID)
  id: string;
}

/** Owned by campaigns: the activity a missing figure belongs to. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Activity')
export class ActivityRef {
  @Field(() => ID)
  id: string;
}

export const ref = (id: number | string | null) => (id ? { id: String(id) } : null);

@ObjectType({ description: 'A number the report states: the roll-up total of one indicator' })
export class ReportFigure {
  @Field(() => Indicator)
  indicator: string;

  @Field(() => GraphQLSafeInt)
  value: number;

  @Field()
  approximate: boolean;

  @Field({ description: 'As an official document writes it: "3600余人", "3万余份", "56人"' })
  text: string;
}

@ObjectType({ description: 'A figure the report could not state: written "（未统计）" in the text' })
export class MissingFigure {
  @Field(() => Indicator)
  indicator: string;

  @Field(() => ActivityRef, { nullable: true })
  activity: ActivityRef | null;

  @Field()
  message: string;
}

@ObjectType({ description: 'A direct child tenant’s reporting on a directive' })
export class ReportingEntry {
  @Field(() => TenantRef)
  tenant: TenantRef;

  @Field(() => CampaignRef, { nullable: true, description: 'Its campaign implementing the directive (null: NO_PLAN)' })
  campaign: CampaignRef | null;

  @Field(() => Report, { nullable: true, description: 'Its report, once sent up' })
  report: Report | null;

  @Field(() => ReportingState)
  state: ReportingState;

  @Field(() => Date, { nullable: true })
  submittedAt: Date | null;

  @Field()
  late: boolean;
}

@InputType()
export class UpdateReportSectionInput {
  @Field(() => ID)
  reportId: string;

  @Field()
  key: string;

  @Field({ description: 'Paragraphs separated by newlines; at most 20,000 characters' })
  body: string;
}

@InputType()
export class SubmitReportInput {
  @Field(() => ID)
  id: string;

  @Field(() => Boolean, { nullable: true, description: 'Submit although figures are missing (they read "（未统计）")' })
  acknowledgeMissing?: boolean | null;
}

@InputType()
export class ReturnReportInput {
  @Field(() => ID)
  id: string;

  @Field({ description: 'Why it goes back (at most 2,000 characters)' })
  reason: string;
}
