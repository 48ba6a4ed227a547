import { TenantOwned } from '@cascade/kernel';
import { Directive, Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { DateScalar } from '../scalars';
import { CampaignStatus, Indicator } from './enums';

/**
 * A campaign (活动方案). `directivePath` is the materialized path of campaign ids along the
 * `implements` chain ("/1/5/9/", itself last): a roll-up for directive 1 counts every
 * campaign whose path contains "/1/".
 */
@Directive('@key(fields: "id")')
@ObjectType()
@Entity('campaigns')
export class Campaign extends TenantOwned {
  @Field()
  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 200, nullable: true })
  theme: string | null;

  @Field(() => DateScalar)
  @Column({ name: 'starts_on', type: 'varchar', length: 10 })
  startsOn: string;

  @Field(() => DateScalar)
  @Column({ name: 'ends_on', type: 'varchar', length: 10 })
  endsOn: string;

  @Field(() => CampaignStatus)
  @Column({ type: 'varchar', length: 16 })
  status: CampaignStatus;

  @Field(() => [String])
  @Column({ name: 'focus_points', type: 'simple-json' })
  focusPoints: string[];

  @Field(() => DateScalar, { nullable: true })
  @Column({ name: 'report_due_on', type: 'varchar', length: 10, nullable: true })
  reportDueOn: string | null;

  /** When the campaign was closed (setCampaignStatus CLOSED); its statistics are locked from then on. */
  @Field(() => Date, { nullable: true })
  @Column({ name: 'closed_at', type: 'datetime', nullable: true })
  closedAt: Date | null;

  /** The user who closed it (resolved by org: null where the reader may not see that user). */
  @Column({ name: 'closed_by', type: 'int', nullable: true })
  closedById: number | null;

  /**
   * What every report below must state (the directive's requirements); read through the
   * resolver, which answers [] for rows written before the column existed (null).
   */
  @Column({ name: 'required_indicators', type: 'simple-json', nullable: true })
  requiredIndicators: Indicator[] | null;

  /**
   * Set while the campaign's report is SUBMITTED or ACCEPTED (reports calls the hidden
   * setStatisticsLock): its statistics answer CONFLICT, as a CLOSED campaign's do.
   */
  @Column({ name: 'report_locked', type: 'boolean', default: false })
  reportLocked: boolean;

  @Index()
  @Column({ name: 'implements_id', type: 'int', nullable: true })
  implementsId: number | null;

  @Index()
  @Column({ name: 'directive_path', type: 'varchar', length: 255, default: '/' })
  directivePath: string;

  /** Ids of this campaign and every directive it implements, top first. */
  get directiveIds(): number[] {
    return this.directivePath.split('/').filter(Boolean).map(Number);
  }
}
