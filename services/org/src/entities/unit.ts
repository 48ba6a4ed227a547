import { TenantOwned } from '@cascade/kernel';
import { Directive, Field, ObjectType } from 'type-graphql';
import { Column, Entity } from 'typeorm';

/** A unit or department of a tenant (整规办, 知识产权局, 公安局 …). */
@Directive('@key(fields: "id")')
@ObjectType()
@Entity('units')
export class Unit extends TenantOwned {
  @Field()
  @Column({ type: 'varchar', length: 200 })
  name: string;
}
