import { badInput, notFound, optionalText, requiredText } from '@cascade/kernel';
import { OrgContext } from '../context';
import { LEVEL_ORDER, Tenant, TenantLevel } from '../entities';
import { created } from './audit';

export interface CreateTenantData {
  name: string;
  level: TenantLevel;
  parentId?: string | null;
  code?: string | null;
}

/** Tenants: the hierarchy with materialized paths. */
export const tenantService = {
  /** A tenant in the caller's scope (itself or a descendant), or null. */
  find(ctx: OrgContext, id: string): Promise<Tenant | null> {
    return ctx.data.repo(Tenant).findById(id);
  },

  /**
   * Admins create children of their own tenant or of a descendant; root creates top-level
   * tenants (parentId null) and children anywhere.
   */
  async create(ctx: OrgContext, input: CreateTenantData): Promise<Tenant> {
    ctx.scope.requireSignedIn();
    const name = requiredText(input.name, 'name', 200);
    const code = optionalText(input.code, 'code', 64);
    const tenants = ctx.data.repo(Tenant);
    if (input.parentId === null || input.parentId === undefined) {
      if (!ctx.scope.isRoot) throw badInput('parentId is required: only the platform operator creates top-level tenants', 'parentId');
      const fields = { name, code, level: input.level, parentId: null };
      return created(ctx, 'Tenant', fields, (tx) =>
        tx.repo(Tenant).insertInto({ tenantId: 0, tenantPath: '/' }, fields, (row) => ({ tenantId: row.id, tenantPath: `/${row.id}/` })),
      );
    }
    const parent = await tenants.findById(input.parentId);
    if (!parent) throw notFound('Parent tenant');
    if (LEVEL_ORDER.indexOf(input.level) <= LEVEL_ORDER.indexOf(parent.level)) {
      throw badInput(`A ${input.level} tenant cannot sit under a ${parent.level} tenant`, 'level');
    }
    const fields = { name, code, level: input.level, parentId: parent.id };
    return created(ctx, 'Tenant', fields, (tx) =>
      tx.repo(Tenant).insertInto({ tenantId: parent.id, tenantPath: parent.tenantPath }, fields, (row) => ({
        tenantId: row.id,
        tenantPath: `${parent.tenantPath}${row.id}/`,
      })),
    );
  },

  async ancestors(ctx: OrgContext, tenant: Tenant): Promise<Tenant[]> {
    const ids = tenant.lineageIds.slice(0, -1);
    const rows = await ctx.loaders.tenant.loadMany(ids);
    return rows.filter((t): t is Tenant => t instanceof Tenant);
  },
};
