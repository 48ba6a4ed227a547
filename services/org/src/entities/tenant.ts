import { RootReadable, TenantOwned } from '@cascade/kernel';
import { Directive, Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { TenantLevel } from './enums';

/**
 * A government office in the hierarchy. Its own row is scoped like every other row:
 * tenant_id is its own id and tenant_path its own materialized path ("/1/8/23/"), so the
 * caller reads its own tenant and every descendant.
 */
@Directive('@key(fields: "id")')
@ObjectType()
@RootReadable()
@Entity('tenants')
export class Tenant extends TenantOwned {
  @Field()
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  code: string | null;

  @Field(() => TenantLevel)
  @Column({ type: 'varchar', length: 16 })
  level: TenantLevel;

  @Index()
  @Column({ name: 'parent_id', type: 'int', nullable: true })
  parentId: number | null;

  /** The ids on the path from the root to this tenant, itself last. */
  get lineageIds(): number[] {
    return this.tenantPath.split('/').filter(Boolean).map(Number);
  }
}
