import { ServiceModule } from '@cascade/kernel';
import { campaignsModule } from '@cascade/campaigns';
import { feedsModule } from '@cascade/feeds';
import { mediaModule } from '@cascade/media';
import { orgModule } from '@cascade/org';
import { reportsModule } from '@cascade/reports';

/** Every subgraph service, in port order (SUBGRAPH_PORTS, SUBGRAPH_PORTS+1, …). */
export const serviceModules: ServiceModule[] = [orgModule, campaignsModule, mediaModule, feedsModule, reportsModule];

/** Addresses written into the committed supergraph (the embedded defaults). */
export function canonicalSubgraphUrl(index: number): string {
  return `http://127.0.0.1:${4001 + index}/graphql`;
}
