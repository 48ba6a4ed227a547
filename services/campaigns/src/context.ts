import { EventBus, RequestContext } from '@cascade/kernel';
import { CampaignLoaders } from './loaders';
import type { IncrementBatcher } from './services/increment-batcher';

export interface CampaignsContext extends RequestContext {
  loaders: CampaignLoaders;
  /** Domain events: statistic and roll-up changes, published after the write commits. */
  bus: EventBus;
  /** Group commit of increments to one statistic (one per service instance). */
  increments: IncrementBatcher;
  /**
   * Checks that units (owned by org) exist and belong to the caller's own tenant (or, with
   * `ancestors`, to a tenant above it: co-organisers); answers their ids without duplicates.
   * More than 100 ids is BAD_USER_INPUT naming `field`.
   */
  ownUnits(ids: string[], field: string, options?: { ancestors?: boolean }): Promise<number[]>;
  /**
   * A tenant as org shows it to the caller, with the ids of its direct children the caller
   * may see; null when not visible. Org shows the caller's own tenant, its descendants, and
   * (names only) its ancestors.
   */
  orgTenant(tenantId: string | number): Promise<{ childIds: string[] } | null>;
}
