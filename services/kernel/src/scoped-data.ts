import DataLoader from 'dataloader';
import {
  DataSource,
  EntityManager,
  EntityTarget,
  FindOptionsOrder,
  FindOptionsWhere,
  In,
  LessThan,
  Like,
  MoreThan,
  ObjectLiteral,
  SelectQueryBuilder,
} from 'typeorm';
import { Connection, decodeCursor, encodeCursor, PageArgs, pageInfoOf, pageSize } from './connection';
import { ROOT_READABLE, TenantOwned } from './entity';
import { forbidden, notFound } from './errors';
import { toId } from './input-guard';
import { Scope } from './scope';

type Where<T> = FindOptionsWhere<T>;
type Patch<T> = Partial<Omit<T, 'id' | 'tenantId' | 'tenantPath' | 'createdAt'>>;

/** Where a written row lives: a tenant's id and path. */
export interface TenantTarget {
  tenantId: number;
  tenantPath: string;
}

/**
 * Tenant-scoped data access: the one way services read and write rows. Reads see the
 * caller's tenant and its descendants; writes touch the caller's own tenant only
 * (insertInto lets an ADMIN place a row in a descendant tenant, for org administration).
 * Built per request; DataLoaders built here are per request too, keyed by scope and id.
 */
export class ScopedData {
  private readonly repos = new Map<Function, ScopedRepository<any>>();

  constructor(
    readonly scope: Scope,
    /** Unscoped: for writes whose authorisation the caller checked itself (org's administration, audit rows), in this transaction. */
    readonly manager: EntityManager,
    /** Runs a write; on SQLite, one at a time (see writeSerializer). */
    private readonly serialize: Serializer = direct,
  ) {}

  static forRequest(dataSource: DataSource, scope: Scope): ScopedData {
    return new ScopedData(scope, dataSource.manager, writeSerializer(dataSource));
  }

  repo<T extends TenantOwned>(entity: new () => T): ScopedRepository<T> {
    if (!(entity.prototype instanceof TenantOwned)) {
      throw new Error(`${entity.name} is not tenant-owned: it cannot be reached through scoped data access`);
    }
    let repo = this.repos.get(entity);
    if (!repo) {
      repo = new ScopedRepository(entity, this.scope, this.manager, this.serialize);
      this.repos.set(entity, repo);
    }
    return repo;
  }

  /**
   * Adds each delta of `counters` (property → delta) to its counter column on one row per
   * (tenant on the caller's line: itself and every ancestor) × key, creating rows as needed,
   * atomically, in one statement. This is how totals over a subtree stay a key lookup: a write
   * below updates the rows of every tenant above it, in the same transaction. Counters whose
   * delta is 0 are left out of the statement. The table needs a unique index on
   * (tenant_id, ...key columns), and a default for every counter column.
   */
  async addToLineage<T extends TenantOwned>(
    entity: new () => T,
    keys: Record<string, string | number>[],
    counters: Record<string, number>,
  ): Promise<void> {
    this.scope.requireMember();
    const changed = Object.keys(counters).filter((property) => counters[property] !== 0);
    if (changed.length === 0 || keys.length === 0) return;
    const meta = this.manager.connection.getMetadata(entity);
    const column = (property: string) => {
      const found = meta.findColumnWithPropertyName(property);
      if (!found) throw new Error(`${meta.name} has no column ${property}`);
      return found.databaseName;
    };
    const ids = this.scope.tenantPath.split('/').filter(Boolean);
    const mysql = this.manager.connection.options.type === 'mysql';
    const quote = (c: string) => (mysql ? `\`${c}\`` : `"${c}"`);
    const keyProps = Object.keys(keys[0]).sort();
    const cols = ['tenant_id', 'tenant_path', ...keyProps.map(column), ...changed.map(column)];
    const rows: unknown[][] = [];
    for (let i = 0; i < ids.length; i++) {
      const path = `/${ids.slice(0, i + 1).join('/')}/`;
      for (const key of keys) rows.push([Number(ids[i]), path, ...keyProps.map((k) => key[k]), ...changed.map((p) => counters[p])]);
    }
    // a stable order (tenant, keys) so concurrent writers take row locks in the same order
    const keyWidth = 2 + keyProps.length;
    rows.sort((a, b) => JSON.stringify(a.slice(0, keyWidth)) < JSON.stringify(b.slice(0, keyWidth)) ? -1 : 1);
    const sums = changed.map(column).map(quote);
    const placeholders = rows.map(() => `(${cols.map(() => '?').join(', ')})`).join(', ');
    const conflict = mysql
      ? `ON DUPLICATE KEY UPDATE ${sums.map((c) => `${c} = ${c} + VALUES(${c})`).join(', ')}`
      : `ON CONFLICT (${['tenant_id', ...keyProps.map(column)].map(quote).join(', ')}) DO UPDATE SET ${sums.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`;
    await this.serialize(() => this.manager.query(
      `INSERT INTO ${quote(meta.tableName)} (${cols.map(quote).join(', ')}) VALUES ${placeholders} ${conflict}`,
      rows.flat(),
    ));
  }

  /** Runs `work` in one database transaction with a ScopedData bound to it. */
  async transaction<R>(work: (tx: ScopedData) => Promise<R>): Promise<R> {
    for (let attempt = 1; ; attempt++) {
      try {
        // inside, writes are already serialized: the transaction holds the turn
        return await this.serialize(() => this.manager.transaction((manager) => work(new ScopedData(this.scope, manager))));
      } catch (err) {
        // concurrent writers on MySQL may deadlock on counter rows: the loser retries
        if (attempt >= 8 || !isRetryable(err)) throw err;
        await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
      }
    }
  }
}

export class ScopedRepository<T extends TenantOwned> {
  private readonly rootReadable: boolean;
  private byId?: DataLoader<number, T | null, string>;

  constructor(
    private readonly entity: new () => T,
    private readonly scope: Scope,
    private readonly manager: EntityManager,
    private readonly serialize: Serializer = direct,
  ) {
    this.rootReadable = ROOT_READABLE.has(entity);
  }

  private get target(): EntityTarget<T> {
    return this.entity;
  }

  /** Adds the read scope to a where clause; null when the caller can read nothing. */
  private scoped(where: Where<T> = {}): Where<T> | null {
    const prefix = this.scope.readPrefix(this.rootReadable);
    if (prefix === null) return null;
    if (prefix === '') return where;
    return { ...where, tenantPath: Like(`${prefix}%`) } as Where<T>;
  }

  /** A row the caller may read, or null (not found and not visible answer alike). */
  async findById(id: number | string): Promise<T | null> {
    const numeric = toId(id);
    if (numeric === null) return null;
    return this.loader().load(numeric);
  }

  /** A readable row or NOT_FOUND. */
  async getById(id: number | string, what = this.entity.name): Promise<T> {
    const row = await this.findById(id);
    if (!row) throw notFound(what);
    return row;
  }

  /** Per-request loader by id; the cache key carries the scope as well as the id. */
  loader(): DataLoader<number, T | null, string> {
    if (!this.byId) {
      const scopeKey = this.scope.isRoot ? 'root' : (this.scope.claims.tenantPath ?? 'anonymous');
      this.byId = new DataLoader<number, T | null, string>(
        async (ids) => {
          const rows = await this.find({ id: In([...ids]) } as Where<T>);
          const map = new Map(rows.map((r) => [r.id, r]));
          return ids.map((id) => map.get(id) ?? null);
        },
        { cacheKeyFn: (id) => `${scopeKey}|${id}` },
      );
    }
    return this.byId;
  }

  async find(where: Where<T> = {}, order: FindOptionsOrder<T> = { id: 'ASC' } as FindOptionsOrder<T>, take?: number): Promise<T[]> {
    const scoped = this.scoped(where);
    if (!scoped) return [];
    return this.manager.find(this.target, { where: scoped, order, take });
  }

  /**
   * Rows owned by the caller's ancestor tenants (never siblings, never the caller's own).
   * For the few things a subordinate may read of the line above it: tenant names, and the
   * directives it implements. The service decides which entities and fields may use it.
   */
  async findInLineage(where: Where<T> = {}): Promise<T[]> {
    if (this.scope.isAnonymous || this.scope.isRoot) return [];
    const ancestorIds = this.scope.tenantPath.split('/').filter(Boolean).map(Number).slice(0, -1);
    if (ancestorIds.length === 0) return [];
    return this.manager.find(this.target, { where: { ...where, tenantId: In(ancestorIds) } as Where<T> });
  }

  async count(where: Where<T> = {}): Promise<number> {
    const scoped = this.scoped(where);
    if (!scoped) return 0;
    return this.manager.count(this.target, { where: scoped });
  }

  /** Rows matching `where` grouped by a column, for loaders of one-to-many relations. */
  async findGrouped<K extends keyof T & string>(column: K, keys: readonly T[K][], where: Where<T> = {}): Promise<T[][]> {
    const rows = await this.find({ ...where, [column]: In([...keys]) } as Where<T>);
    const groups = new Map<unknown, T[]>();
    for (const row of rows) {
      const list = groups.get(row[column]) ?? [];
      list.push(row);
      groups.set(row[column], list);
    }
    return keys.map((key) => groups.get(key) ?? []);
  }

  /** A Relay connection over readable rows, ordered by id (oldest first, or newest first with 'DESC'). */
  async page(args: PageArgs, where: Where<T> = {}, direction: 'ASC' | 'DESC' = 'ASC'): Promise<Connection<T>> {
    const size = pageSize(args.first);
    const afterId = args.after ? decodeCursor(args.after) : null;
    const scoped = this.scoped(where);
    if (!scoped) return { edges: [], pageInfo: pageInfoOf([], false, args.after), totalCount: 0 };
    const totalCount = await this.manager.count(this.target, { where: scoped });
    const beyond = direction === 'ASC' ? MoreThan(afterId) : LessThan(afterId);
    const pageWhere = afterId === null ? scoped : ({ ...scoped, id: beyond } as Where<T>);
    const rows = await this.manager.find(this.target, {
      where: pageWhere,
      order: { id: direction } as FindOptionsOrder<T>,
      take: size + 1,
    });
    const hasNextPage = rows.length > size;
    const nodes = rows.slice(0, size);
    const edges = nodes.map((node) => ({ node, cursor: encodeCursor(node.id) }));
    return { edges, pageInfo: pageInfoOf(edges, hasNextPage, args.after), totalCount };
  }

  /** A query builder already restricted to readable rows (for aggregates and locks). */
  query(alias: string): SelectQueryBuilder<T> {
    const qb = this.manager.createQueryBuilder(this.entity, alias);
    const prefix = this.scope.readPrefix(this.rootReadable);
    if (prefix === null) return qb.where('1 = 0');
    if (prefix === '') return qb.where('1 = 1');
    return qb.where(`${alias}.tenant_path LIKE :scopePrefix`, { scopePrefix: `${prefix}%` });
  }

  /** Inserts a row into the caller's own tenant. */
  async insert(data: Patch<T>, finish?: (row: T) => Partial<T>): Promise<T> {
    this.scope.requireMember();
    return this.save(data, { tenantId: this.scope.tenantId, tenantPath: this.scope.tenantPath }, finish);
  }

  /**
   * Inserts a row into the caller's tenant or a descendant of it; ADMIN (or root) only.
   * `finish` may set columns that need the new id (a tenant's own path) in the same transaction.
   */
  async insertInto(target: TenantTarget, data: Patch<T>, finish?: (row: T) => Partial<T>): Promise<T> {
    if (!this.scope.isRoot) {
      this.scope.requireRole('ADMIN');
      if (!this.scope.isAtOrAbove(target.tenantPath)) throw notFound('Tenant');
    }
    return this.save(data, target, finish);
  }

  private async save(data: Patch<T>, target: TenantTarget, finish?: (row: T) => Partial<T>): Promise<T> {
    const write = async (manager: EntityManager) => {
      const row = manager.create(this.entity, { ...data, tenantId: target.tenantId, tenantPath: target.tenantPath } as T);
      const saved = await manager.save(this.entity, row);
      if (finish) {
        Object.assign(saved, finish(saved));
        await manager.save(this.entity, saved);
      }
      return saved;
    };
    return this.manager.queryRunner?.isTransactionActive ? write(this.manager) : this.serialize(() => this.manager.transaction(write));
  }

  /**
   * Updates a row of the caller's own tenant. A row the caller cannot see is NOT_FOUND;
   * one it can see but does not own (a descendant's) is FORBIDDEN.
   */
  async update(id: number | string, patch: Patch<T>): Promise<T> {
    const row = await this.ownRow(id);
    const { id: _i, tenantId: _t, tenantPath: _p, createdAt: _c, ...safe } = patch as Record<string, unknown>;
    Object.assign(row, safe);
    await this.serialize(() => this.manager.save(this.entity, row));
    this.byId?.clear(row.id);
    return row;
  }

  /** Adds `by` to a numeric column of an own-tenant row in one UPDATE (atomic under concurrency). */
  async incrementOwn(id: number, column: keyof T & string, by: number): Promise<void> {
    this.scope.requireMember();
    await this.serialize(() => this.manager.increment(this.entity, { id, tenantId: this.scope.tenantId } as Where<T>, column, by));
    this.byId?.clear(id);
  }

  /** Re-reads a row, bypassing the per-request cache (after an atomic update). */
  async reload(id: number): Promise<T | null> {
    this.byId?.clear(id);
    return this.findById(id);
  }

  /** Deletes a row of the caller's own tenant (same answers as update). */
  async delete(id: number | string): Promise<void> {
    const row = await this.ownRow(id);
    await this.serialize(() => this.manager.delete(this.entity, { id: row.id, tenantId: row.tenantId } as Where<T>));
    this.byId?.clear(row.id);
  }

  private async ownRow(id: number | string): Promise<T> {
    this.scope.requireMember();
    const row = await this.getById(id);
    if (row.tenantId !== this.scope.tenantId) throw forbidden('Only the owning tenant may change this');
    return row;
  }
}

type Serializer = <R>(work: () => Promise<R>) => Promise<R>;
const direct: Serializer = (work) => work();

const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

/**
 * SQLite (embedded mode) has one connection per database: two transactions at once on it
 * fail ("cannot start a transaction within a transaction"). Its writes take turns; MySQL's
 * run concurrently (row locks do the work there).
 */
export function writeSerializer(dataSource: DataSource): Serializer {
  if (dataSource.options.type !== 'better-sqlite3') return direct;
  return <R>(work: () => Promise<R>) => {
    const previous = sqliteQueues.get(dataSource) ?? Promise.resolve();
    const next = previous.then(work, work);
    sqliteQueues.set(dataSource, next.catch(() => undefined));
    return next;
  };
}

function isRetryable(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code;
  return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT' || code === 'SQLITE_BUSY';
}

export type { ObjectLiteral };
