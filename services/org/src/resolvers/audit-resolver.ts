import { appError, AUDIT_ROWS_QUERY, AuditCursor, AuditEntry, AuditRow, AuditService, boundFor, compareAudit, ConnectionType, decodeAuditCursor, encodeAuditCursor, ErrorCode, MergedAuditEntry, optionalText, pageInfoOf, pageSize, querySubgraph, readAuditRows, toRow } from '@cascade/kernel';
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { OrgContext } from '../context';
import { User } from '../entities';
import { rootUser } from '../services/user-service';

export const AuditEntryConnection = ConnectionType(AuditEntry, 'AuditEntry');

/** A service whose entries auditLog merges: its name and address (read when asked: a later service's is known only once it runs). */
export interface AuditSource {
  service: Exclude<AuditService, 'org'>;
  url(): string | undefined;
}

interface Rows {
  entries: MergedAuditEntry[];
  hasMore: boolean;
  totalCount: number;
}

/**
 * The audit trail of every service: org's own entries (sign-ins, sign-outs, revocations,
 * administrative writes) and those each other service wrote in its own database, asked of it
 * as the caller through its hidden `<service>AuditEntries` field (kernel audit-log.ts). Each
 * service answers with the entries the caller reads there (admins: their tenant's and their
 * descendants'), newest first after the cursor; the pages are merged in the one order
 * (at, service, id), so a cursor resumes every service where the page ended.
 */
export function createAuditResolver(options: { rootEmail: string; internalSecret: string; sources: AuditSource[] }) {
  /** One service's entries after the cursor, as the caller: org's read here, the others asked. */
  async function rowsOf(ctx: OrgContext, service: AuditService, query: { first: number; cursor: AuditCursor | null; entityType: string | null; entityId: string | null }): Promise<Rows> {
    const before = boundFor(service, query.cursor);
    if (service === 'org') {
      const own = await readAuditRows(ctx.data, { first: query.first, before, entityType: query.entityType, entityId: query.entityId });
      return { ...own, entries: own.rows.map((row) => ({ service, row: toRow(row) })) };
    }
    const source = options.sources.find((s) => s.service === service)!;
    const url = source.url();
    if (!url) throw new Error(`${service.toUpperCase()}_URL is not configured: the ${service} audit entries cannot be read`);
    const answer = await querySubgraph<{ rows: { rows: (Omit<AuditRow, 'at'> & { at: string })[]; hasMore: boolean; totalCount: number } }>(
      { url, secret: options.internalSecret, claims: ctx.claims },
      AUDIT_ROWS_QUERY(service),
      { first: query.first, beforeAt: before?.at.toISOString() ?? null, beforeId: before?.id ?? null, entityType: query.entityType, entityId: query.entityId },
      `${service} audit entries`,
    );
    if (!answer.data) {
      const error = answer.errors[0];
      // the service's own refusal (FORBIDDEN, BAD_USER_INPUT) is the caller's answer; anything else is ours
      if (error?.extensions?.code && error.extensions.code !== 'INTERNAL_SERVER_ERROR') throw appError(error.extensions.code as ErrorCode, error.message);
      throw new Error(`${service} audit entries failed: ${error?.message ?? 'without data'}`);
    }
    const { rows, hasMore, totalCount } = answer.data.rows;
    return { entries: rows.map((row) => ({ service, row: { ...row, at: new Date(row.at) } })), hasMore, totalCount };
  }

  @Resolver(() => AuditEntry)
  class AuditResolver {
    @Query(() => AuditEntryConnection, { description: "Admins: their tenant's and its descendants' entries of every service, newest first (root: org's entries of every tenant)" })
    async auditLog(
      @Ctx() ctx: OrgContext,
      @Arg('first', () => Int, { nullable: true }) first?: number,
      @Arg('after', () => String, { nullable: true }) after?: string,
      @Arg('entityType', () => String, { nullable: true }) entityType?: string,
      @Arg('entityId', () => ID, { nullable: true }) entityId?: string,
    ) {
      if (!ctx.scope.isRoot) ctx.scope.requireRole('ADMIN');
      const size = pageSize(first);
      const query = {
        first: size,
        cursor: after ? decodeAuditCursor(after) : null,
        entityType: optionalText(entityType, 'entityType', 64),
        entityId: optionalText(entityId, 'entityId', 254),
      };
      // root is the platform operator: it reads org's entries only (no scope over the services' data)
      const services: AuditService[] = ctx.scope.isRoot ? ['org'] : ['org', ...options.sources.map((s) => s.service)];
      const pages = await Promise.all(services.map((service) => rowsOf(ctx, service, query)));
      const merged = pages.flatMap((p) => p.entries).sort(compareAudit);
      const page = merged.slice(0, size);
      const edges = page.map((entry) => ({ node: toEntry(entry), cursor: encodeAuditCursor(entry) }));
      return {
        edges,
        // more after this page: merged rows left over, or a service that had more than it sent
        pageInfo: pageInfoOf(edges, merged.length > size || pages.some((p) => p.hasMore), after),
        totalCount: pages.reduce((sum, p) => sum + p.totalCount, 0),
      };
    }

    /** org's entries keep their ids; the others' name their service (ids are per database). */
    @FieldResolver(() => ID)
    id(@Root() entry: AuditEntry & { service?: AuditService }): string {
      return !entry.service || entry.service === 'org' ? String(entry.id) : `${entry.service}:${entry.id}`;
    }

    /** null when the actor was anonymous, or is not visible to the reader (an ancestor's admin). */
    @FieldResolver(() => User, { nullable: true })
    actor(@Root() entry: AuditEntry, @Ctx() ctx: OrgContext) {
      if (entry.actorId === null) return null;
      if (entry.actorId === 0) return ctx.scope.isRoot ? rootUser(options.rootEmail) : null;
      return ctx.data.repo(User).findById(entry.actorId);
    }
  }
  return AuditResolver;
}

/** A merged entry as the AuditEntry type shows it (`at` is the entity's created_at). */
function toEntry({ service, row }: MergedAuditEntry): AuditEntry & { service: AuditService } {
  return Object.assign(new AuditEntry(), {
    service,
    id: row.id,
    createdAt: row.at,
    actorId: row.actorId,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    changes: row.changes,
    clientAddress: row.clientAddress,
  });
}
