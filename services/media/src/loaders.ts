import { ScopedData } from '@cascade/kernel';
import DataLoader from 'dataloader';
import { Asset } from './entities';

/** Per-request DataLoaders, all through the request's scoped data. */
export function createMediaLoaders(data: ScopedData) {
  const assets = data.repo(Asset);
  return {
    asset: assets.loader(),
    assetsOfCampaign: new DataLoader<number, Asset[]>((ids) => assets.findGrouped('campaignId', ids)),
    assetsOfActivity: new DataLoader<number, Asset[]>((ids) => assets.findGrouped('activityId', ids)),
  };
}

export type MediaLoaders = ReturnType<typeof createMediaLoaders>;
