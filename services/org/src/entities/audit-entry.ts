import { RootReadable, TenantOwned } from '@cascade/kernel';
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';

/**
 * One audited act: a sign-in (or a failed one), a sign-out, a revocation, or an administrative
 * write. It belongs to the tenant of the entity it is about, so that tenant's admins and its
 * ancestors' read it, never its siblings; acts about no tenant (root's sign-in, an unknown
 * email) sit at the root ('/'), read by the platform operator only. Written in the same
 * transaction as the change it records.
 */
@ObjectType()
@RootReadable()
@Entity('audit_entries')
@Index('IDX_audit_entries_entity', ['entityType', 'entityId'])
export class AuditEntry extends TenantOwned {
  @Field(() => Date, { name: 'at' })
  get at(): Date {
    return this.createdAt;
  }

  /** The user who acted; 0 for the platform operator, null for an anonymous caller (a failed sign-in). */
  @Column({ name: 'actor_id', type: 'int', nullable: true })
  actorId: number | null;

  @Field()
  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Field()
  @Column({ name: 'entity_type', type: 'varchar', length: 64 })
  entityType: string;

  @Field(() => ID)
  @Column({ name: 'entity_id', type: 'varchar', length: 254 })
  entityId: string;

  /** JSON of { field: [before, after] }. */
  @Field()
  @Column({ type: 'text' })
  changes: string;

  /** The client's address as the gateway saw it (the TCP peer). */
  @Field(() => String, { nullable: true })
  @Column({ name: 'client_address', type: 'varchar', length: 64, nullable: true })
  clientAddress: string | null;
}
