import { TenantOwned } from '@cascade/kernel';
import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';

/**
 * One section of a report (组织领导, 活动开展情况, 主要成效, 几点体会 …). A section written by hand
 * (`edited`) is kept when the report is generated again; the others are rewritten from data.
 */
@ObjectType()
@Entity('report_sections')
@Index(['reportId', 'key'], { unique: true })
export class ReportSection extends TenantOwned {
  @Column({ name: 'report_id', type: 'int' })
  reportId: number;

  @Field()
  @Column({ name: 'section_key', type: 'varchar', length: 40 })
  key: string;

  @Field()
  @Column({ type: 'varchar', length: 100 })
  heading: string;

  @Field()
  @Column({ type: 'text' })
  body: string;

  @Field()
  @Column({ type: 'boolean', default: false })
  edited: boolean;

  /** Written from data (refreshed at each generation unless edited) or free text for people. */
  @Column({ type: 'boolean', default: true })
  generated: boolean;

  @Column({ type: 'int' })
  position: number;
}
