import { EventBus, RequestContext } from '@cascade/kernel';

export interface ActivityAccess {
  id: string;
  tenant: { id: string };
  statistics: { id: string }[];
}

export interface FeedsContext extends RequestContext {
  bus: EventBus;
  /** The activity as campaigns shows it to this caller, or null when the caller may not see it. */
  activity(id: string): Promise<ActivityAccess | null>;
  /** Whether campaigns shows this roll-up ("<tenantId>:<campaignId or 0>") to the caller. */
  canReadRollup(id: string): Promise<boolean>;
  /**
   * The materialized path ("/1/8/23/") of a tenant org shows this caller, or null. Org also
   * shows a caller the tenants above it (their names): callers compare the path themselves.
   */
  tenantPath(id: string): Promise<string | null>;
}
