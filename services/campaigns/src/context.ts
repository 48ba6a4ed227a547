import { EventBus, RequestContext } from '@cascade/kernel';
import { CampaignLoaders } from './loaders';
import type { IncrementBatcher } from './services/increment-batcher';

export interface CampaignsContext extends RequestContext {
  loaders: CampaignLoaders;
  /** Domain events: statistic and roll-up changes, published after the write commits. */
  bus: EventBus;
  /** Group commit of increments to one statistic (one per service instance). */
  increments: IncrementBatcher;
  /** Checks that units (owned by org) exist and belong to the caller's own tenant. */
  ownUnits(ids: string[]): Promise<number[]>;
  /** The ids of a tenant's direct children the caller may see (asked of org), [] when not visible. */
  childTenantIds(tenantId: string): Promise<string[]>;
}
