import { ComposedSchemas, composeSchemas } from '@cascade/gateway';
import { buildFederatedSchema, createLogger, InProcessBus, InProcessLog, parseConfig, ServiceDeps } from '@cascade/kernel';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { canonicalSubgraphUrl, serviceModules } from './services';

export const SUPERGRAPH_FILE = path.resolve(__dirname, '../../schema/supergraph.graphql');
/** The public API as an artifact (frontends generate clients from it; CI refuses breaking changes to it). */
export const PUBLIC_SCHEMA_FILE = path.resolve(__dirname, '../../schema/public.graphql');

/** Composes the supergraph and the public schema from the subgraph definitions, with the canonical addresses. */
export async function composeFromSource(): Promise<ComposedSchemas> {
  const config = parseConfig({ DATA_DIR: path.resolve(__dirname, '../../data') });
  const deps: ServiceDeps = {
    dataSource: undefined as unknown as DataSource, // schema building runs no resolver
    config,
    secrets: { jwtSecret: 'compose-only', internalSecret: 'compose-only' },
    logger: createLogger('compose', 'silent'),
    bus: new InProcessBus(),
    log: new InProcessLog(),
    closeOnStop: () => undefined, // nothing is opened: only the schema is built
  };
  const subgraphs = [];
  for (const [index, module] of serviceModules.entries()) {
    const { typeDefs } = await buildFederatedSchema(module.subgraph(deps));
    subgraphs.push({ name: module.name, url: canonicalSubgraphUrl(index), typeDefs });
  }
  return composeSchemas(subgraphs);
}

if (require.main === module) {
  composeFromSource()
    .then(({ supergraphSdl, publicSdl }) => {
      writeFileSync(SUPERGRAPH_FILE, supergraphSdl);
      writeFileSync(PUBLIC_SCHEMA_FILE, publicSdl);
      for (const file of [SUPERGRAPH_FILE, PUBLIC_SCHEMA_FILE]) process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
    })
    .catch((err) => {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    });
}

