import { AuditRecord, createdWithAudit, insertAudit, ScopedData, TenantOwned } from '@cascade/kernel';
import { EntityManager } from 'typeorm';
import { OrgContext } from '../context';

// the entry, its writer and its rules are the kernel's (one definition for every service)
export { changesBetween, hashedEmail, PLATFORM } from '@cascade/kernel';
export type { Changes } from '@cascade/kernel';

/**
 * Writes one entry with `manager`, which must be the transaction of the change it records,
 * so no change exists without its entry. Who (actor), what (action, entity, changes), from
 * where (the client address the gateway signed) and when.
 */
export function audit(manager: EntityManager, ctx: OrgContext, record: AuditRecord): Promise<void> {
  return insertAudit(manager, ctx.claims, record);
}

/** Runs an insert and writes its CREATE entry in one transaction: `fields` are the values set. */
export function created<T extends TenantOwned>(ctx: OrgContext, entityType: string, fields: Record<string, unknown>, insert: (tx: ScopedData) => Promise<T>): Promise<T> {
  return createdWithAudit(ctx.data, ctx.claims, entityType, fields, insert);
}
