import { ScopedData } from '@cascade/kernel';
import DataLoader from 'dataloader';
import { In, Not } from 'typeorm';
import { Activity, Campaign, CampaignStatus, Slogan, Statistic, Task } from './entities';

/** Per-request DataLoaders, all through the request's scoped data. */
export function createCampaignLoaders(data: ScopedData) {
  const campaigns = data.repo(Campaign);
  return {
    /** Campaigns in scope, plus published directives of the caller's ancestors. */
    campaign: new DataLoader<number, Campaign | null>(async (ids) => {
      const scoped = await campaigns.find({ id: In([...ids]) });
      const missing = ids.filter((id) => !scoped.some((c) => c.id === id));
      const lineage = missing.length ? await campaigns.findInLineage({ id: In(missing), status: Not(CampaignStatus.DRAFT) }) : [];
      const byId = new Map([...scoped, ...lineage].map((c) => [c.id, c]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    activity: data.repo(Activity).loader(),
    activitiesOf: new DataLoader<number, Activity[]>((ids) => data.repo(Activity).findGrouped('campaignId', ids)),
    tasksOf: new DataLoader<number, Task[]>((ids) => data.repo(Task).findGrouped('campaignId', ids)),
    slogansOf: new DataLoader<number, Slogan[]>((ids) => data.repo(Slogan).findGrouped('campaignId', ids)),
    statisticsOf: new DataLoader<number, Statistic[]>((ids) => data.repo(Statistic).findGrouped('activityId', ids)),
    /** A tenant's campaigns: all of them in scope; an ancestor's published directives only. */
    campaignsOfTenant: new DataLoader<number, Campaign[]>(async (ids) => {
      const scoped = await campaigns.findGrouped('tenantId', ids);
      const lineage = await campaigns.findInLineage({ tenantId: In([...ids]), status: Not(CampaignStatus.DRAFT) });
      return ids.map((id, i) => [...scoped[i], ...lineage.filter((c) => c.tenantId === id)]);
    }),
  };
}

export type CampaignLoaders = ReturnType<typeof createCampaignLoaders>;
