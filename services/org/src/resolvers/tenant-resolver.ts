import { ConnectionType, PageArgs } from '@cascade/kernel';
import { Arg, Ctx, Directive, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { OrgContext } from '../context';
import { Committee, Tenant, TenantLevel, Unit } from '../entities';
import { tenantService } from '../services/tenant-service';
import { CreateTenantInput } from './inputs';

export const TenantConnection = ConnectionType(Tenant, 'Tenant');

@Resolver(() => Tenant)
export class TenantResolver {
  @Query(() => Tenant, { nullable: true, description: 'null when not visible to the caller' })
  tenant(@Arg('id', () => ID) id: string, @Ctx() ctx: OrgContext) {
    return tenantService.find(ctx, id);
  }

  @Query(() => TenantConnection, { description: "The caller's tenant and all its descendants (root: every tenant)" })
  tenants(
    @Ctx() ctx: OrgContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('parentId', () => ID, { nullable: true }) parentId?: string,
    @Arg('level', () => TenantLevel, { nullable: true }) level?: TenantLevel,
  ) {
    const args: PageArgs = { first, after };
    const where: Record<string, unknown> = {};
    if (parentId !== undefined && parentId !== null) where.parentId = Number(parentId) || -1;
    if (level) where.level = level;
    return ctx.data.repo(Tenant).page(args, where);
  }

  @Mutation(() => Tenant)
  createTenant(@Arg('input') input: CreateTenantInput, @Ctx() ctx: OrgContext) {
    return tenantService.create(ctx, input);
  }

  @FieldResolver(() => Tenant, { nullable: true })
  parent(@Root() tenant: Tenant, @Ctx() ctx: OrgContext) {
    return tenant.parentId ? ctx.loaders.tenant.load(tenant.parentId) : null;
  }

  @FieldResolver(() => [Tenant])
  children(@Root() tenant: Tenant, @Ctx() ctx: OrgContext) {
    return ctx.loaders.children.load(tenant.id);
  }

  /** For other subgraphs (@requires), not public: the ids of the visible children. */
  @Directive('@inaccessible')
  @FieldResolver(() => [ID])
  async childIds(@Root() tenant: Tenant, @Ctx() ctx: OrgContext) {
    return (await ctx.loaders.children.load(tenant.id)).map((child) => String(child.id));
  }

  @FieldResolver(() => [Tenant], { description: 'From the top of the tree down to the parent' })
  ancestors(@Root() tenant: Tenant, @Ctx() ctx: OrgContext) {
    return tenantService.ancestors(ctx, tenant);
  }

  @FieldResolver(() => [Unit])
  units(@Root() tenant: Tenant, @Ctx() ctx: OrgContext) {
    return ctx.loaders.units.load(tenant.id);
  }

  @FieldResolver(() => [Committee])
  committees(@Root() tenant: Tenant, @Ctx() ctx: OrgContext) {
    return ctx.loaders.committees.load(tenant.id);
  }
}

/** Federation: other subgraphs reference a Tenant by id; resolved under the caller's scope. */
export async function resolveTenantReference(ref: { id: string }, ctx: OrgContext) {
  const id = Number(ref.id);
  if (!Number.isInteger(id)) return null;
  return ctx.loaders.tenant.load(id);
}

