import { ScopedData, TenantOwned, TenantTarget } from '@cascade/kernel';
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { OrgContext } from '../context';
import { AuditEntry } from '../entities';

/** Acts about no tenant (root's sign-in, an email of no account) are read by the platform operator only. */
export const PLATFORM: TenantTarget = { tenantId: 0, tenantPath: '/' };

export type Changes = Record<string, [unknown, unknown]>;

export interface AuditRecord {
  /** The tenant the entry belongs to: the entity's. */
  tenant: TenantTarget;
  action: string;
  entityType: string;
  entityId: string | number;
  changes?: Changes;
  /** Who acted, when it is not the caller (a sign-in acts as the user signing in). */
  actorId?: number | null;
}

/** The caller as an actor: 0 for the platform operator, null when anonymous. */
export function actorOf(ctx: OrgContext): number | null {
  if (ctx.claims.root) return 0;
  const id = Number(ctx.claims.userId);
  return ctx.claims.userId && Number.isInteger(id) ? id : null;
}

/** Only the fields that changed, as { field: [before, after] }. */
export function changesBetween(before: Record<string, unknown>, after: Record<string, unknown>): Changes {
  const changes: Changes = {};
  for (const field of Object.keys(after)) {
    if (after[field] !== undefined && after[field] !== before[field]) changes[field] = [before[field] ?? null, after[field]];
  }
  return changes;
}

/** An email as typed, hashed: what a failed sign-in for no account keeps (it may be a pasted password). */
export function hashedEmail(email: string): string {
  return `sha256:${createHash('sha256').update(email).digest('hex')}`;
}

/**
 * Writes one entry with `manager`, which must be the transaction of the change it records,
 * so no change exists without its entry. Who (actor), what (action, entity, changes), from
 * where (the client address the gateway signed) and when (created_at).
 */
export async function audit(manager: EntityManager, ctx: OrgContext, record: AuditRecord): Promise<void> {
  await manager.insert(AuditEntry, {
    tenantId: record.tenant.tenantId,
    tenantPath: record.tenant.tenantPath,
    actorId: record.actorId !== undefined ? record.actorId : actorOf(ctx),
    action: record.action,
    entityType: record.entityType,
    entityId: String(record.entityId),
    changes: JSON.stringify(record.changes ?? {}),
    clientAddress: ctx.claims.clientAddress ?? null,
  });
}

/** Runs an insert and writes its CREATE entry in one transaction: `fields` are the values set. */
export function created<T extends TenantOwned>(
  ctx: OrgContext,
  entityType: string,
  fields: Record<string, unknown>,
  insert: (tx: ScopedData) => Promise<T>,
): Promise<T> {
  return ctx.data.transaction(async (tx) => {
    const row = await insert(tx);
    const changes = changesBetween({}, fields);
    await audit(tx.manager, ctx, { tenant: row, action: 'CREATE', entityType, entityId: row.id, changes }); // unscoped: the audit row goes to the audited row's tenant, which an ancestor's admin does not own
    return row;
  });
}
