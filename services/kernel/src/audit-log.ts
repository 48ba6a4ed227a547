import { Arg, Ctx, Directive, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { AuditEntry, AUDIT_SERVICES, AuditService } from './audit-entry';
import { badInput } from './errors';
import { MAX_ID, toId } from './input-guard';
import { ScopedData } from './scoped-data';
import type { RequestContext } from './subgraph';

/**
 * Reading the audit trail. Each service keeps its entries in its own database (written in the
 * transaction of the change); org's `auditLog` is the one reader: it reads its own and asks
 * every other service, as the caller, through that service's hidden `<service>AuditEntries`
 * field, then merges them newest first. The order is total and the same everywhere: `at`
 * (newest first), then the service (AUDIT_SERVICES order), then the row id (highest first),
 * so a cursor (the last entry's at, service and id) resumes every service exactly where the
 * page left it, and no entry is returned twice or skipped.
 */

/** Entries strictly after this position (in newest-first order) within one service. */
export interface AuditBound {
  at: Date;
  /** Entries at `at` with a lower id come after; 0: none of `at`; MAX_ID: all of `at`. */
  id: number;
}

export interface AuditQuery {
  first: number;
  before?: AuditBound | null;
  entityType?: string | null;
  entityId?: string | null;
}

export interface AuditRows {
  rows: AuditEntry[];
  /** More rows after these. */
  hasMore: boolean;
  /** Every entry the caller may read with these filters (not only this page). */
  totalCount: number;
}

/**
 * One service's entries the caller may read (its tenant and its descendants: the scoped read
 * by tenant_path), newest first, after `before`, at most `first` (and whether there are more).
 */
export async function readAuditRows(data: ScopedData, query: AuditQuery): Promise<AuditRows> {
  const filtered = () => {
    const qb = data.repo(AuditEntry).query('a');
    if (query.entityType) qb.andWhere('a.entityType = :entityType', { entityType: query.entityType });
    if (query.entityId) qb.andWhere('a.entityId = :entityId', { entityId: query.entityId });
    return qb;
  };
  const page = filtered();
  if (query.before) {
    page.andWhere('(a.createdAt < :beforeAt OR (a.createdAt = :beforeAt AND a.id < :beforeId))', { beforeAt: query.before.at, beforeId: query.before.id });
  }
  const [rows, totalCount] = await Promise.all([
    page.orderBy('a.createdAt', 'DESC').addOrderBy('a.id', 'DESC').limit(query.first + 1).getMany(),
    filtered().getCount(),
  ]);
  return { rows: rows.slice(0, query.first), hasMore: rows.length > query.first, totalCount };
}

// ─────────────────────────── the hidden field each service serves org ───────────────────────────

/** One entry as a service sends it to org (never in the public API: @inaccessible). */
@Directive('@shareable')
@Directive('@inaccessible')
@ObjectType('AuditRow')
export class AuditRow {
  @Field(() => Int)
  id: number;

  @Field(() => Date)
  at: Date;

  @Field(() => Int, { nullable: true })
  actorId: number | null;

  @Field()
  action: string;

  @Field()
  entityType: string;

  @Field()
  entityId: string;

  @Field()
  changes: string;

  @Field(() => String, { nullable: true })
  clientAddress: string | null;
}

@Directive('@shareable')
@Directive('@inaccessible')
@ObjectType('AuditRows')
export class AuditRowsType {
  @Field(() => [AuditRow])
  rows: AuditRow[];

  @Field()
  hasMore: boolean;

  @Field(() => Int)
  totalCount: number;
}

/** The most rows one call answers: a page of auditLog and one more. */
export const MAX_AUDIT_ROWS = 101;

/**
 * The hidden query a service serves org's `auditLog`: `<service>AuditEntries`, @inaccessible
 * (composed into the supergraph, never in the API a client can ask for: the gateway answers
 * GRAPHQL_VALIDATION_FAILED). It answers to the caller's own claims, exactly as `auditLog`
 * reads org's entries: admins of the entry's tenant and of its ancestors; an editor, viewer or
 * screen link is FORBIDDEN; root reads none (it has no scope over the services' data).
 */
export function auditRowsResolver(service: Exclude<AuditService, 'org'>) {
  @Resolver()
  class AuditRowsResolver {
    @Directive('@inaccessible')
    @Query(() => AuditRowsType, { name: `${service}AuditEntries`, description: `Internal (org's auditLog): the ${service} service's audit entries the caller reads, newest first (at, then id)` })
    async entries(
      @Ctx() ctx: RequestContext,
      @Arg('first', () => Int) first: number,
      @Arg('beforeAt', () => Date, { nullable: true }) beforeAt?: Date | null,
      @Arg('beforeId', () => Int, { nullable: true }) beforeId?: number | null,
      @Arg('entityType', () => String, { nullable: true }) entityType?: string | null,
      @Arg('entityId', () => String, { nullable: true }) entityId?: string | null,
    ): Promise<AuditRowsType> {
      if (ctx.scope.isRoot) return { rows: [], hasMore: false, totalCount: 0 };
      ctx.scope.requireRole('ADMIN');
      if (!Number.isInteger(first) || first < 1 || first > MAX_AUDIT_ROWS) throw badInput(`first must be between 1 and ${MAX_AUDIT_ROWS}`, 'first');
      if ((beforeAt == null) !== (beforeId == null)) throw badInput('beforeAt and beforeId go together', 'beforeId');
      const before = beforeAt && beforeId != null ? { at: beforeAt, id: beforeId } : null;
      const found = await readAuditRows(ctx.data, { first, before, entityType, entityId });
      return { ...found, rows: found.rows.map(toRow) };
    }
  }
  return AuditRowsResolver;
}

export function toRow(entry: AuditEntry): AuditRow {
  return {
    id: entry.id,
    at: entry.createdAt,
    actorId: entry.actorId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    changes: entry.changes,
    clientAddress: entry.clientAddress,
  };
}

/** The selection org asks each service for, and the rows it gets back. */
export const AUDIT_ROWS_QUERY = (service: string) =>
  `query($first: Int!, $beforeAt: DateTime, $beforeId: Int, $entityType: String, $entityId: String) {
    rows: ${service}AuditEntries(first: $first, beforeAt: $beforeAt, beforeId: $beforeId, entityType: $entityType, entityId: $entityId) {
      rows { id at actorId action entityType entityId changes clientAddress } hasMore totalCount
    }
  }`;

// ─────────────────────────────── merging pages across services ───────────────────────────────

/** An entry of the merged log: which service wrote it, and its row there. */
export interface MergedAuditEntry {
  service: AuditService;
  row: AuditRow;
}

/** Where a page of the merged log ended: the last entry's at, service and id. */
export interface AuditCursor {
  at: Date;
  service: AuditService;
  id: number;
}

export function encodeAuditCursor(entry: MergedAuditEntry): string {
  return Buffer.from(`a:${entry.row.at.getTime()}:${entry.service}:${entry.row.id}`).toString('base64url');
}

/** A cursor that is not one of ours (or out of range) is BAD_USER_INPUT. */
export function decodeAuditCursor(cursor: string): AuditCursor {
  const match = /^a:(\d{1,15}):([a-z]+):(\d{1,10})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const service = match?.[2] as AuditService | undefined;
  const id = match ? toId(match[3]) : null;
  if (!match || !service || !AUDIT_SERVICES.includes(service) || id === null) throw badInput('Invalid cursor', 'after');
  return { at: new Date(Number(match[1])), service, id };
}

/** For one service: the entries after the cursor are those after this bound in its own order. */
export function boundFor(service: AuditService, cursor: AuditCursor | null): AuditBound | null {
  if (!cursor) return null;
  const order = AUDIT_SERVICES.indexOf(service) - AUDIT_SERVICES.indexOf(cursor.service);
  // a service that sorts before the cursor's at the same instant was passed at that instant
  // entirely; one that sorts after it not at all; the cursor's own resumes below its id
  return { at: cursor.at, id: order < 0 ? 0 : order > 0 ? MAX_ID : cursor.id };
}

/** Newest first; then the service; then the highest id: a total order, stable across pages. */
export function compareAudit(a: MergedAuditEntry, b: MergedAuditEntry): number {
  return b.row.at.getTime() - a.row.at.getTime() || AUDIT_SERVICES.indexOf(a.service) - AUDIT_SERVICES.indexOf(b.service) || b.row.id - a.row.id;
}
