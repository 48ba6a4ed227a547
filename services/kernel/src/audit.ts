import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AuditEntry } from './audit-entry';
import { Claims } from './context';
import { ScopedData, TenantTarget } from './scoped-data';

export * from './audit-entry';
export * from './audit-log';
export * from './audit-table';

/** Acts about no tenant (root's sign-in, an email of no account) are read by the platform operator only. */
export const PLATFORM: TenantTarget = { tenantId: 0, tenantPath: '/' };

export type Changes = Record<string, [unknown, unknown]>;

export interface AuditRecord {
  /** The tenant the entry belongs to: the audited row's (so its admins and their ancestors read it). */
  tenant: TenantTarget;
  action: string;
  entityType: string;
  entityId: string | number;
  changes?: Changes;
  /** Who acted, when it is not the caller (a sign-in acts as the user signing in; a batch, as each item's caller). */
  actorId?: number | null;
  /** Where from, when it is not the caller's address. */
  clientAddress?: string | null;
}

/** The caller as an actor: 0 for the platform operator, null when anonymous or a screen link. */
export function actorOf(claims: Claims): number | null {
  if (claims.root) return 0;
  const id = Number(claims.userId);
  return claims.userId && Number.isInteger(id) && id > 0 ? id : null;
}

/** Only the fields that changed, as { field: [before, after] } (arrays and objects compared by value). */
export function changesBetween(before: object, after: object): Changes {
  const changes: Changes = {};
  for (const [field, next] of Object.entries(after)) {
    const previous = (before as Record<string, unknown>)[field] ?? null;
    if (next !== undefined && !sameValue(previous, next)) changes[field] = [previous, next ?? null];
  }
  return changes;
}

/** Every field of a removed row as { field: [before, null] }. */
export function removed(before: object): Changes {
  const changes: Changes = {};
  for (const [field, value] of Object.entries(before)) if (value !== undefined && value !== null) changes[field] = [value, null];
  return changes;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

/** An email as typed, hashed: what a failed sign-in for no account keeps (it may be a pasted password). */
export function hashedEmail(email: string): string {
  return `sha256:${createHash('sha256').update(email).digest('hex')}`;
}

/**
 * Writes audit entries in `tx`, the transaction of the change they record: they commit with it
 * or not at all. Refuses to run outside a transaction, so an entry can never be written apart
 * from its change (by construction: there is no other writer). Several records go in one
 * INSERT (a group commit of increments writes one entry per increment).
 */
export async function recordAudit(tx: ScopedData, claims: Claims, records: AuditRecord | AuditRecord[]): Promise<void> {
  await insertAudit(tx.manager, claims, records);
}

/** recordAudit with the transaction's manager (org's administration works on the manager). */
export async function insertAudit(manager: EntityManager, claims: Claims, records: AuditRecord | AuditRecord[]): Promise<void> {
  const list = Array.isArray(records) ? records : [records];
  if (list.length === 0) return;
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('An audit entry is written only inside the transaction of the change it records');
  }
  const at = new Date();
  await manager.insert(
    AuditEntry,
    list.map((record) => ({
      tenantId: record.tenant.tenantId,
      tenantPath: record.tenant.tenantPath,
      createdAt: at,
      actorId: record.actorId !== undefined ? record.actorId : actorOf(claims),
      action: record.action,
      entityType: record.entityType,
      entityId: String(record.entityId),
      changes: JSON.stringify(record.changes ?? {}),
      clientAddress: (record.clientAddress !== undefined ? record.clientAddress : claims.clientAddress) ?? null,
    })),
  );
}

/**
 * Runs an insert and writes its CREATE entry in one transaction: `fields` are the values set
 * (the entry's `changes`, each [null, value]).
 */
export function createdWithAudit<T extends { id: number; tenantId: number; tenantPath: string }>(
  data: ScopedData,
  claims: Claims,
  entityType: string,
  fields: Record<string, unknown>,
  insert: (tx: ScopedData) => Promise<T>,
): Promise<T> {
  return data.transaction(async (tx) => {
    const row = await insert(tx);
    await recordAudit(tx, claims, { tenant: row, action: 'CREATE', entityType, entityId: row.id, changes: changesBetween({}, fields) });
    return row;
  });
}
