import { TenantOwned } from '@cascade/kernel';
import { Directive, Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';

/** A named person of a tenant, with a title (八师副师长) and optionally a unit. */
@Directive('@key(fields: "id")')
@ObjectType()
@Entity('people')
export class Person extends TenantOwned {
  @Field()
  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 200, nullable: true })
  title: string | null;

  @Index()
  @Column({ name: 'unit_id', type: 'int', nullable: true })
  unitId: number | null;
}
