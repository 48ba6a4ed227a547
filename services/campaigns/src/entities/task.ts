import { TenantOwned } from '@cascade/kernel';
import { Directive, Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { DateScalar } from '../scalars';

/** A task assigned to a unit (任务分工); reads OVERDUE when past due and not done. */
@Directive('@key(fields: "id")')
@ObjectType()
@Entity('tasks')
export class Task extends TenantOwned {
  @Index()
  @Column({ name: 'campaign_id', type: 'int' })
  campaignId: number;

  @Field()
  @Column({ type: 'varchar', length: 500 })
  title: string;

  @Column({ name: 'unit_id', type: 'int' })
  unitId: number;

  @Field(() => DateScalar, { nullable: true })
  @Column({ name: 'due_on', type: 'varchar', length: 10, nullable: true })
  dueOn: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'done_at', type: 'datetime', nullable: true })
  doneAt: Date | null;
}
