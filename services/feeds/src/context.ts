import { EventBus, RequestContext } from '@cascade/kernel';

/** A statistic's state as campaigns holds it: what `statisticChanged` streams. */
export interface StatisticState {
  id: string;
  indicator: string;
  value: number;
  approximate: boolean;
  /** Raised by every change (campaigns' Statistic.version): orders the states of one statistic. */
  version: number;
}

export interface ActivityAccess {
  id: string;
  tenant: { id: string };
  statistics: StatisticState[];
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
