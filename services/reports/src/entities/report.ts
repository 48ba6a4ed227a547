import { DateScalar, TenantOwned } from '@cascade/kernel';
import { Directive, Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { ReportStatus } from './enums';

/** A figure as stored: the roll-up total and how the text writes it. */
export interface StoredFigure {
  indicator: string;
  value: number;
  approximate: boolean;
  text: string;
}

/** What the text could not state (a required indicator, or an activity's expected figure). */
export interface StoredMissing {
  indicator: string;
  activityId: string | null;
  message: string;
}

/**
 * A work summary (工作总结) of one campaign by its own tenant, sent up to the tenant above.
 * One per campaign. Its sections are rows of their own (edited by hand one at a time);
 * figures and missing are written together at each generation, so they are one JSON value each.
 */
@Directive('@key(fields: "id")')
@ObjectType()
@Entity('reports')
export class Report extends TenantOwned {
  @Index({ unique: true })
  @Column({ name: 'campaign_id', type: 'int' })
  campaignId: number;

  @Field()
  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Field(() => ReportStatus)
  @Column({ type: 'varchar', length: 16 })
  status: ReportStatus;

  /** The campaign's reportDueOn, else the nearest up its directive chain (refreshed at each generation). */
  @Field(() => DateScalar, { nullable: true })
  @Column({ name: 'due_on', type: 'varchar', length: 10, nullable: true })
  dueOn: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'submitted_at', type: 'datetime', nullable: true })
  submittedAt: Date | null;

  @Column({ name: 'submitted_by', type: 'int', nullable: true })
  submittedBy: number | null;

  @Field(() => String, { nullable: true })
  @Column({ name: 'return_reason', type: 'varchar', length: 2000, nullable: true })
  returnReason: string | null;

  @Column({ name: 'decided_at', type: 'datetime', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'decided_by', type: 'int', nullable: true })
  decidedBy: number | null;

  /** The issuing office written at the end of the document (the tenant's name when generated). */
  @Column({ type: 'varchar', length: 200 })
  office: string;

  @Field(() => Date, { description: 'When the figures were last taken from data' })
  @Column({ name: 'generated_at', type: 'datetime' })
  generatedAt: Date;

  @Column({ type: 'simple-json' })
  figures: StoredFigure[];

  @Column({ type: 'simple-json' })
  missing: StoredMissing[];
}
