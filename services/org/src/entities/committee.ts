import { TenantOwned } from '@cascade/kernel';
import { Directive, Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';

/** A named body (领导小组, 组委会, 办公室) with members and their roles. */
@Directive('@key(fields: "id")')
@ObjectType()
@Entity('committees')
export class Committee extends TenantOwned {
  @Field()
  @Column({ type: 'varchar', length: 200 })
  name: string;
}

/** One person's seat on a committee, with the role (组长, 副组长, 主任, 成员, 联系人 …). */
@ObjectType()
@Entity('committee_members')
@Index('UQ_committee_members_committee_person', ['committeeId', 'personId'], { unique: true })
export class CommitteeMember extends TenantOwned {
  @Index()
  @Column({ name: 'committee_id', type: 'int' })
  committeeId: number;

  @Column({ name: 'person_id', type: 'int' })
  personId: number;

  @Field()
  @Column({ type: 'varchar', length: 50 })
  role: string;

  /** Display order within the roster, as the document lists it. */
  @Column({ type: 'int', default: 0 })
  position: number;
}
