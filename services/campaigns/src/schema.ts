import { auditRowsResolver, badInput, fetchEntities, MAX_LIST_ITEMS, notFound, RequestContext, ServiceModule, toId } from '@cascade/kernel';
import { CampaignsContext } from './context';
import { campaignsEntities, Statistic } from './entities';
import { campaignsMigrations } from './migrations';
import { consumeDistributions } from './services/distribution-consumer';
import { IncrementBatcher } from './services/increment-batcher';
import { applyChange } from './services/statistic-service';
import { ScreenLinkRef } from './resolvers/types';
import { createCampaignLoaders } from './loaders';
import { ActivityResolver, SloganResolver, StatisticResolver, TaskResolver } from './resolvers/activity-resolver';
import { CampaignResolver, resolveRollupReference, RollupResolver, ScreenLinkCampaignResolver, TenantCampaignsResolver } from './resolvers/campaign-resolver';

/** The campaigns subgraph: directives, activities, tasks, slogans, statistics and roll-ups. */
export const campaignsModule: ServiceModule<CampaignsContext> = {
  name: 'campaigns',
  entities: campaignsEntities,
  migrations: campaignsMigrations,
  subgraph({ config, secrets, bus, log, dataSource, logger, closeOnStop }) {
    const increments = new IncrementBatcher(applyChange);
    const extendContext = (base: RequestContext): CampaignsContext => ({
      ...base,
      increments,
      loaders: createCampaignLoaders(base.data),
      bus,
      async ownUnits(ids, field, options = {}) {
        // the kernel's input guard refuses longer lists first; this keeps the org call bounded whoever calls
        if (ids.length > MAX_LIST_ITEMS) throw badInput(`${field} holds at most ${MAX_LIST_ITEMS} ids`, field);
        const unique = [...new Set(ids)]; // each unit asked of org once
        if (unique.length === 0) return [];
        const numeric = unique.map(toId);
        if (numeric.some((id) => id === null)) throw notFound('Unit');
        if (!config.ORG_URL) throw new Error('ORG_URL is not configured: units cannot be checked');
        const units = await fetchEntities<{ id: string; tenant: { id: string } }>(
          { url: config.ORG_URL, secret: secrets.internalSecret, claims: base.claims },
          'Unit',
          numeric as number[],
          'id tenant { id }',
        );
        // org answers a unit of the caller's tenant or a descendant, and (by name) one of its
        // ancestors; a sibling's, a cousin's or a forged id is null
        const ancestors = (base.claims.tenantPath ?? '').split('/').filter(Boolean).slice(0, -1);
        units.forEach((unit) => {
          if (!unit) throw notFound('Unit');
          if (unit.tenant.id === base.claims.tenantId) return;
          if (ancestors.includes(unit.tenant.id)) {
            if (options.ancestors) return;
            throw notFound('Unit'); // as before org named an ancestor's units: not one the caller may use here
          }
          throw badInput(options.ancestors ? 'Units must belong to your own tenant or a tenant above it' : 'Units must belong to your own tenant', field);
        });
        return numeric as number[];
      },
      async orgTenant(tenantId) {
        if (!config.ORG_URL) throw new Error('ORG_URL is not configured: tenants cannot be read');
        const [tenant] = await fetchEntities<{ childIds: string[] }>(
          { url: config.ORG_URL, secret: secrets.internalSecret, claims: base.claims },
          'Tenant',
          [tenantId],
          'childIds',
        );
        return tenant ?? null;
      },
    });
    if (dataSource) {
      // media's distributions, from the durable log (consumer group `campaigns`)
      const consumer = consumeDistributions({ log, dataSource, logger, extendContext });
      closeOnStop({ close: async () => (await consumer).close() });
    }
    return {
      name: 'campaigns',
      resolvers: [auditRowsResolver('campaigns'), CampaignResolver, RollupResolver, TenantCampaignsResolver, ScreenLinkCampaignResolver, ActivityResolver, TaskResolver, SloganResolver, StatisticResolver],
      orphanedTypes: [ScreenLinkRef], // reached only through federation
      references: {
        Tenant: { __resolveReference: (ref: { id: string }) => ref },
        ScreenLink: { __resolveReference: (ref: { id: string; campaignId?: string | null }) => ref },
        Campaign: { __resolveReference: (ref: { id: string }, ctx: CampaignsContext) => (toId(ref.id) ? ctx.loaders.campaign.load(toId(ref.id)!) : null) },
        Activity: { __resolveReference: (ref: { id: string }, ctx: CampaignsContext) => (toId(ref.id) ? ctx.loaders.activity.load(toId(ref.id)!) : null) },
        Rollup: { __resolveReference: (ref: { id: string }, ctx: CampaignsContext) => resolveRollupReference(ctx, ref.id) },
        Statistic: { __resolveReference: (ref: { id: string }, ctx: CampaignsContext) => ctx.data.repo(Statistic).findById(ref.id) },
      },
      extendContext,
    };
  },
};

