import { composeServices, compositionHasErrors } from '@theguild/federation-composition';
import { parse } from 'graphql';

export interface SubgraphSource {
  name: string;
  url: string;
  typeDefs: string;
}

export interface ComposedSchemas {
  /** What the gateway plans with (join directives, @inaccessible fields). */
  supergraphSdl: string;
  /** What clients see: the API as the gateway serves it, nothing @inaccessible (schema/public.graphql). */
  publicSdl: string;
}

/** Composes subgraph SDLs into the supergraph and the public schema (the Guild's composition, MIT). */
export function composeSchemas(subgraphs: SubgraphSource[]): ComposedSchemas {
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.typeDefs) })));
  if (compositionHasErrors(result)) {
    throw new Error(`Supergraph composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  return { supergraphSdl: result.supergraphSdl, publicSdl: result.publicSdl };
}

export function composeSupergraph(subgraphs: SubgraphSource[]): string {
  return composeSchemas(subgraphs).supergraphSdl;
}
