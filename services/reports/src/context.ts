import { Config, EventBus, Logger, RequestContext } from '@cascade/kernel';

/** What the reports service holds for its whole life (GraphQL and the download route share it). */
export interface ReportsRuntime {
  config: Config;
  /** Signs the calls it makes to campaigns and org as the caller. */
  internalSecret: string;
  /** Signs download URLs (derived from the internal secret, never usable as a context). */
  urlKey: Buffer;
  bus: EventBus;
  logger: Logger;
}

export interface ReportsContext extends RequestContext {
  reports: ReportsRuntime;
}
