import { assertPortsFree, createEventBus, createLogger, loadConfigOrExit, resolveSecrets, runProcess } from '@cascade/kernel';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startGateway } from './gateway';

/**
 * The gateway as its own process: the committed supergraph, subgraph addresses from the
 * environment. Start failures, signals and last-resort errors are handled by runProcess.
 */
runProcess('gateway', async () => {
  const config = loadConfigOrExit();
  await assertPortsFree(config.HOST, [{ port: config.PORT, what: 'gateway, PORT' }]);
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const supergraphSdl = readFileSync(path.resolve(__dirname, '../../schema/supergraph.graphql'), 'utf8');
  const subgraphUrls: Record<string, string> = {};
  if (config.ORG_URL) subgraphUrls.org = config.ORG_URL;
  if (config.CAMPAIGNS_URL) subgraphUrls.campaigns = config.CAMPAIGNS_URL;
  if (config.MEDIA_URL) subgraphUrls.media = config.MEDIA_URL;
  if (config.FEEDS_URL) subgraphUrls.feeds = config.FEEDS_URL;
  if (config.REPORTS_URL) subgraphUrls.reports = config.REPORTS_URL;
  const bus = createEventBus({ redisUrl: config.REDIS_URL, prefix: config.EVENT_CHANNEL_PREFIX, logger });
  const mediaUrl = config.MEDIA_URL?.replace(/\/graphql$/, '');
  const reportsUrl = config.REPORTS_URL?.replace(/\/graphql$/, '');
  const gateway = await startGateway({ supergraphSdl, subgraphUrls, config, secrets: resolveSecrets(config), logger, port: config.PORT, bus, mediaUrl, reportsUrl });
  return {
    async stop() {
      await gateway.stop();
      await bus.close();
    },
  };
});
