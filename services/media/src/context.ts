import { Config, Logger, RequestContext } from '@cascade/kernel';
import { MediaLoaders } from './loaders';
import { Storage } from './storage';

/** What the media service holds for its whole life (shared by GraphQL and plain HTTP). */
export interface MediaRuntime {
  config: Config;
  storage: Storage;
  /** Signs upload and download URLs (derived from the internal secret). */
  urlKey: Buffer;
  logger: Logger;
}

/** A campaign or activity as the caller sees it in the campaigns subgraph. */
export interface CampaignAccess {
  id: string;
  tenant: { id: string };
}
export interface ActivityAccess extends CampaignAccess {
  campaign: { id: string };
}

export interface MediaContext extends RequestContext {
  loaders: MediaLoaders;
  media: MediaRuntime;
  /** Asked of campaigns as the same caller: null when the caller may not see it. */
  campaign(id: number): Promise<CampaignAccess | null>;
  activity(id: number): Promise<ActivityAccess | null>;
}
