import { TenantOwned } from '@cascade/kernel';
import { Directive, Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';

/** A short live update posted during an activity, by an editor of the activity's tenant. */
@Directive('@key(fields: "id")')
@ObjectType()
@Entity('feed_entries')
export class FeedEntry extends TenantOwned {
  @Index()
  @Column({ name: 'activity_id', type: 'int' })
  activityId: number;

  @Field()
  @Column({ type: 'varchar', length: 2000 })
  text: string;

  @Column({ name: 'author_id', type: 'int' })
  authorId: number;
}

