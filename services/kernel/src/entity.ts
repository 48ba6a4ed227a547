import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Every row a tenant owns extends this: its tenant's id and materialized path
 * ("/1/8/23/"), both indexed. The kernel's scoped data access reads rows whose
 * tenant_path starts with the caller's path and writes rows of the caller's tenant only.
 */
@ObjectType()
export abstract class TenantOwned {
  @Field(() => ID)
  @PrimaryGeneratedColumn({ type: 'int' })
  id: number;

  @Index()
  @Column({ name: 'tenant_id', type: 'int' })
  tenantId: number;

  @Index()
  @Column({ name: 'tenant_path', type: 'varchar', length: 255 })
  tenantPath: string;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt: Date;
}

/**
 * Entities the platform's root operator may read across every tenant (the org tree and its
 * users). Root reads nothing else: it has no scope over campaign, media or feed data.
 */
export const ROOT_READABLE = new Set<Function>();
export function RootReadable(): ClassDecorator {
  return (target) => {
    ROOT_READABLE.add(target);
  };
}
