import { Config, createLogger, Logger, resolveSecrets, RunningService, Secrets, startService } from '@cascade/kernel';
import { composeSupergraph, RunningGateway, startGateway } from '@cascade/gateway';
import { serviceModules } from './services';

export interface Platform {
  gateway: RunningGateway;
  services: RunningService[];
  secrets: Secrets;
  stop(): Promise<void>;
}

/**
 * Starts every subgraph and the gateway in this process (embedded mode, and the tests).
 * Port 0 picks free ports. The supergraph is composed from the running subgraphs.
 */
export async function startPlatform(config: Config, logger: Logger = createLogger('cascade', config.LOG_LEVEL)): Promise<Platform> {
  const secrets = resolveSecrets(config);
  const services: RunningService[] = [];
  try {
    for (const [index, module] of serviceModules.entries()) {
      const port = config.SUBGRAPH_PORTS === 0 ? 0 : config.SUBGRAPH_PORTS + index;
      // later services check references owned by org (units) at its address
      const serviceConfig = { ...config, ORG_URL: config.ORG_URL ?? services[0]?.url };
      services.push(await startService(module, { config: serviceConfig, secrets, port, logger: logger.child({ service: module.name }) }));
    }
    const supergraphSdl = composeSupergraph(services.map((s) => ({ name: s.name, url: s.url, typeDefs: s.typeDefs })));
    const gateway = await startGateway({
      supergraphSdl,
      subgraphUrls: Object.fromEntries(services.map((s) => [s.name, s.url])),
      config,
      secrets,
      logger: logger.child({ service: 'gateway' }),
      port: config.PORT,
    });
    return {
      gateway,
      services,
      secrets,
      async stop() {
        await gateway.stop();
        for (const service of services.reverse()) await service.stop();
      },
    };
  } catch (err) {
    for (const service of services) await service.stop().catch(() => undefined);
    throw err;
  }
}
