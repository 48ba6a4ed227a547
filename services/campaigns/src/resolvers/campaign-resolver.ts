import { Arg, Ctx, Directive, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { CampaignsContext } from '../context';
import { Activity, Campaign, CampaignStatus, Indicator, Slogan, Task } from '../entities';
import { campaignService, statisticsLockReason, UpdateCampaignData } from '../services/campaign-service';
import { readChildRollups, readRollup, RollupResult } from '../services/statistic-service';
import { CampaignConnection, CreateCampaignInput, Rollup, ScreenLinkRef, TenantRef, tenantRef, UpdateCampaignInput, UserRef } from './types';

@Resolver(() => Campaign)
export class CampaignResolver {
  @Query(() => Campaign, { nullable: true })
  campaign(@Arg('id', () => ID) id: string, @Ctx() ctx: CampaignsContext) {
    return campaignService.find(ctx, id);
  }

  @Query(() => CampaignConnection)
  campaigns(
    @Ctx() ctx: CampaignsContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('tenantId', () => ID, { nullable: true }) tenantId?: string,
    @Arg('status', () => CampaignStatus, { nullable: true }) status?: CampaignStatus,
  ) {
    return campaignService.list(ctx, { first, after, tenantId, status });
  }

  @Query(() => Rollup, { description: 'Totals over the tenant and all its descendants; with campaignId, that directive and every campaign implementing it' })
  async rollup(@Arg('tenantId', () => ID) tenantId: string, @Ctx() ctx: CampaignsContext, @Arg('campaignId', () => ID, { nullable: true }) campaignId?: string) {
    return toRollup(await readRollup(ctx, tenantId, campaignId));
  }

  @Mutation(() => Campaign)
  createCampaign(@Arg('input') input: CreateCampaignInput, @Ctx() ctx: CampaignsContext) {
    return campaignService.create(ctx, input);
  }

  @Mutation(() => Campaign, { description: 'Corrects a campaign of your own tenant: only the fields given change, checked as at creation (its activities must stay inside the window); CONFLICT once CLOSED' })
  updateCampaign(@Arg('input') input: UpdateCampaignInput, @Ctx() ctx: CampaignsContext) {
    return campaignService.update(ctx, input as UpdateCampaignData);
  }

  @Mutation(() => Campaign)
  publishCampaign(@Arg('id', () => ID) id: string, @Ctx() ctx: CampaignsContext) {
    return campaignService.moveStatus(ctx, id, CampaignStatus.PUBLISHED);
  }

  @Mutation(() => Campaign, { description: 'DRAFT → PUBLISHED → IN_PROGRESS → CLOSED, one step forward at a time (skipping one: BAD_USER_INPUT; going back, reopening too: CONFLICT); closing locks the statistics and records who closed it and when' })
  setCampaignStatus(@Arg('id', () => ID) id: string, @Arg('status', () => CampaignStatus) status: CampaignStatus, @Ctx() ctx: CampaignsContext) {
    return campaignService.moveStatus(ctx, id, status);
  }

  /**
   * Reports' lock while the campaign's report is SUBMITTED or ACCEPTED (reports calls it on this
   * subgraph as its caller). @inaccessible: composed into the supergraph, never in the API a
   * client can ask for (the gateway answers GRAPHQL_VALIDATION_FAILED).
   */
  @Directive('@inaccessible')
  @Mutation(() => Boolean, { description: 'Internal (reports): locks or unlocks the statistics of a campaign whose report is sent up; ADMIN of its tenant or a tenant above' })
  setStatisticsLock(@Arg('campaignId', () => ID) campaignId: string, @Arg('locked', () => Boolean) locked: boolean, @Ctx() ctx: CampaignsContext) {
    return campaignService.setStatisticsLock(ctx, campaignId, locked);
  }

  @FieldResolver(() => TenantRef)
  tenant(@Root() campaign: Campaign) {
    return tenantRef(campaign.tenantId);
  }

  @FieldResolver(() => [Indicator], { description: 'Set by the directive’s author: what every report below must state' })
  requiredIndicators(@Root() campaign: Campaign): Indicator[] {
    return campaign.requiredIndicators ?? [];
  }

  @FieldResolver(() => Boolean, { description: 'Statistics can no longer change: the campaign is CLOSED, or its report is SUBMITTED or ACCEPTED (writes answer CONFLICT)' })
  statisticsLocked(@Root() campaign: Campaign): boolean {
    return statisticsLockReason(campaign) !== null;
  }

  @FieldResolver(() => UserRef, { nullable: true, description: 'Who closed the campaign (null while open, or where the reader may not see that user)' })
  closedBy(@Root() campaign: Campaign, @Ctx() ctx: CampaignsContext) {
    // the closer is a user of the campaign's tenant: org shows users to their tenant and its
    // ancestors only, so a descendant reading a directive above it gets null, not a reference org refuses
    if (!campaign.closedById || !ctx.scope.isAtOrAbove(campaign.tenantPath)) return null;
    return { id: String(campaign.closedById) };
  }

  @FieldResolver(() => Campaign, { nullable: true, name: 'implements' })
  implementsDirective(@Root() campaign: Campaign, @Ctx() ctx: CampaignsContext) {
    return campaign.implementsId ? campaignService.find(ctx, campaign.implementsId) : null;
  }

  @FieldResolver(() => [Campaign])
  implementations(@Root() campaign: Campaign, @Ctx() ctx: CampaignsContext) {
    return campaignService.implementations(ctx, campaign);
  }

  @FieldResolver(() => [Activity])
  activities(@Root() campaign: Campaign, @Ctx() ctx: CampaignsContext) {
    return ctx.loaders.activitiesOf.load(campaign.id);
  }

  @FieldResolver(() => [Task])
  tasks(@Root() campaign: Campaign, @Ctx() ctx: CampaignsContext) {
    return ctx.loaders.tasksOf.load(campaign.id);
  }

  @FieldResolver(() => [Slogan])
  slogans(@Root() campaign: Campaign, @Ctx() ctx: CampaignsContext) {
    return ctx.loaders.slogansOf.load(campaign.id);
  }
}

@Resolver(() => TenantRef)
export class TenantCampaignsResolver {
  @FieldResolver(() => [TenantRef], { description: 'Direct child tenants with no campaign implementing this directive yet (at any depth below them)' })
  async childrenWithoutImplementation(@Root() tenant: TenantRef, @Arg('campaignId', () => ID) campaignId: string, @Ctx() ctx: CampaignsContext) {
    const directive = await campaignService.get(ctx, campaignId);
    const implementations = await campaignService.implementations(ctx, directive);
    const covered = new Set<number>();
    for (const campaign of implementations) {
      // the child on the path from this tenant down to the implementing campaign's tenant
      const ids = campaign.tenantPath.split('/').filter(Boolean).map(Number);
      const at = ids.indexOf(Number(tenant.id));
      if (at >= 0 && ids[at + 1]) covered.add(ids[at + 1]);
    }
    const childIds = (await ctx.orgTenant(tenant.id))?.childIds ?? [];
    return childIds.filter((id) => !covered.has(Number(id))).map((id) => tenantRef(Number(id)));
  }

  @FieldResolver(() => [Campaign], { description: "The tenant's own campaigns that the caller may read" })
  campaigns(@Root() tenant: TenantRef, @Ctx() ctx: CampaignsContext) {
    return ctx.loaders.campaignsOfTenant.load(Number(tenant.id));
  }
}

function toRollup(result: RollupResult): Rollup {
  return { id: `${result.tenantId}:${result.campaign?.id ?? 0}`, tenant: tenantRef(result.tenantId), campaign: result.campaign, totals: result.totals, source: result };
}

@Resolver(() => Rollup)
export class RollupResolver {
  @FieldResolver(() => [Rollup], { description: 'The roll-ups of every direct child tenant (empty totals where nothing is recorded yet), for comparing them' })
  async children(@Root() rollup: Rollup, @Ctx() ctx: CampaignsContext) {
    return (await readChildRollups(ctx, rollup.source!)).map(toRollup);
  }
}

/** Federation: "<tenantId>:<campaignId or 0>" → the roll-up, or null when not visible. */
export async function resolveRollupReference(ctx: CampaignsContext, id: string): Promise<Rollup | null> {
  const match = /^(\d+):(\d+)$/.exec(id);
  if (!match) return null;
  try {
    return toRollup(await readRollup(ctx, match[1], match[2] === '0' ? null : match[2]));
  } catch {
    return null;
  }
}

@Resolver(() => ScreenLinkRef)
export class ScreenLinkCampaignResolver {
  @Directive('@requires(fields: "campaignId")')
  @FieldResolver(() => Campaign, { nullable: true, description: 'For a roll-up board: the campaign it totals' })
  campaign(@Root() link: ScreenLinkRef, @Ctx() ctx: CampaignsContext) {
    return link.campaignId ? campaignService.find(ctx, link.campaignId) : null;
  }
}
