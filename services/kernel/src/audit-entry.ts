import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { RootReadable, TenantOwned } from './entity';

/**
 * One audited act: a create, update, delete, status change, statistic, submission or sign-in.
 * The one definition every service registers (each writes its entries in its own database, in
 * the transaction of the change, so no change exists without its entry; org's `auditLog` merges
 * them). It belongs to the tenant of the entity it is about, so that tenant's admins and its
 * ancestors' read it, never its siblings; acts about no tenant (root's sign-in, an unknown
 * email) sit at the root ('/'), read by the platform operator only.
 *
 * The GraphQL type is org's (`AuditEntry` in `Query.auditLog`, with `actor` resolved there);
 * the other services send their rows to org through a hidden field (audit-log.ts).
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

  /** The user who acted; 0 for the platform operator, null for an anonymous caller (a failed sign-in) or a screen. */
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

/** The services whose entries `auditLog` merges, in the order that breaks ties of `at` (then id). */
export const AUDIT_SERVICES = ['campaigns', 'feeds', 'media', 'org', 'reports'] as const;
export type AuditService = (typeof AUDIT_SERVICES)[number];
