import { createLogger, loadConfigOrExit, resolveSecrets } from '@cascade/kernel';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startGateway } from './gateway';

/** The gateway as its own process: the committed supergraph, subgraph addresses from the environment. */
async function main() {
  const config = loadConfigOrExit();
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const supergraphSdl = readFileSync(path.resolve(__dirname, '../../schema/supergraph.graphql'), 'utf8');
  const subgraphUrls: Record<string, string> = {};
  if (config.ORG_URL) subgraphUrls.org = config.ORG_URL;
  const gateway = await startGateway({ supergraphSdl, subgraphUrls, config, secrets: resolveSecrets(config), logger, port: config.PORT });
  const shutdown = async () => {
    await gateway.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

void main();
