import { TenantOwned } from '@cascade/kernel';
import { GraphQLSafeInt } from 'graphql-scalars';
import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { Indicator } from './enums';

/**
 * The most one statistic may hold (API.md): a write whose result would pass it answers
 * BAD_USER_INPUT. It keeps a statistic well inside its 32-bit column, and totals over
 * millions of them inside SafeInt (2^53-1) and the 64-bit roll-up column.
 */
export const MAX_STATISTIC_VALUE = 1_000_000_000;

/** A counted result of an activity, one row per activity × indicator. */
@Directive('@key(fields: "id")')
@ObjectType()
@Entity('statistics')
@Index('UQ_statistics_activity_indicator', ['activityId', 'indicator'], { unique: true })
export class Statistic extends TenantOwned {
  @Column({ name: 'activity_id', type: 'int' })
  activityId: number;

  @Index()
  @Column({ name: 'campaign_id', type: 'int' })
  campaignId: number;

  @Field(() => Indicator)
  @Column({ type: 'varchar', length: 32 })
  indicator: Indicator;

  @Field(() => GraphQLSafeInt)
  @Column({ type: 'int', default: 0 })
  value: number;

  /** The documents' 余/多: "more than" this value. */
  @Field()
  @Column({ type: 'boolean', default: false })
  approximate: boolean;

  /**
   * Raised by one in the transaction of every change (by the statement that locks the row), so
   * of two states of a statistic the higher version is the later one, however the events that
   * carry them are delivered: feeds drops a `statistic.changed` older than one it has streamed.
   * Not public (@inaccessible): feeds reads it with a subscriber's first events.
   */
  @Directive('@inaccessible')
  @Field(() => Int)
  @Column({ type: 'int', default: 0 })
  version: number;
}

/** One applied increment, remembered by its idempotency key so a retry adds nothing. */
@Entity('statistic_increments')
@Index('UQ_statistic_increments_key', ['tenantId', 'idempotencyKey'], { unique: true })
export class StatisticIncrement extends TenantOwned {
  @Column({ name: 'idempotency_key', type: 'varchar', length: 100 })
  idempotencyKey: string;

  @Column({ name: 'statistic_id', type: 'int' })
  statisticId: number;

  @Column({ type: 'int' })
  by: number;

  /** The statistic's value right after this increment: what a retry answers. */
  @Column({ name: 'result_value', type: 'int' })
  resultValue: number;
}

/**
 * Totals over a tenant's subtree: one row per tenant × directive × indicator, kept in the
 * same transaction as every statistic write below the tenant (directive 0: all campaigns).
 */
@Entity('rollup_totals')
@Index('UQ_rollup_totals_key', ['tenantId', 'directiveId', 'indicator'], { unique: true })
export class RollupTotal extends TenantOwned {
  @Column({ name: 'directive_id', type: 'int' })
  directiveId: number;

  @Column({ type: 'varchar', length: 32 })
  indicator: Indicator;

  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } })
  value: number;

  /** How many of the statistics counted in this row are approximate (余/多): the total is too while above 0. */
  @Column({ name: 'approximate_count', type: 'int', default: 0 })
  approximateCount: number;
}
