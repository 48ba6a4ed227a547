import { TenantOwned } from '@cascade/kernel';
import { Directive, Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { ActivityKind, Indicator } from './enums';

/** What an activity aims for on one indicator (万人签名: SIGNATURES 10000). */
export interface IndicatorTargetData {
  indicator: Indicator;
  value: number;
}

/** One activity of a campaign (活动安排): when, where, who leads and who supports. */
@Directive('@key(fields: "id")')
@ObjectType()
@Entity('activities')
export class Activity extends TenantOwned {
  @Index()
  @Column({ name: 'campaign_id', type: 'int' })
  campaignId: number;

  @Field()
  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Field(() => ActivityKind)
  @Column({ type: 'varchar', length: 32 })
  kind: ActivityKind;

  @Field(() => Date)
  @Column({ name: 'starts_at', type: 'datetime' })
  startsAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'ends_at', type: 'datetime', nullable: true })
  endsAt: Date | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 200, nullable: true })
  location: string | null;

  @Column({ name: 'lead_unit_id', type: 'int', nullable: true })
  leadUnitId: number | null;

  @Column({ name: 'supporting_unit_ids', type: 'simple-json' })
  supportingUnitIds: number[];

  /** At most one per indicator; null on rows written before targets existed (reads as none). */
  @Column({ type: 'simple-json', nullable: true })
  targets: IndicatorTargetData[] | null;
}
