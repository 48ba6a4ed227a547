import { composeServices, compositionHasErrors } from '@theguild/federation-composition';
import { parse } from 'graphql';

export interface SubgraphSource {
  name: string;
  url: string;
  typeDefs: string;
}

/** Composes subgraph SDLs into the supergraph (the Guild's composition, MIT). */
export function composeSupergraph(subgraphs: SubgraphSource[]): string {
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.typeDefs) })));
  if (compositionHasErrors(result)) {
    throw new Error(`Supergraph composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}
