import { Config, createDurableLog, createEventBus, createLogger, DurableLog, EventBus, Logger, resolveSecrets, RunningService, Secrets, startService } from '@cascade/kernel';
import { composeSupergraph, RunningGateway, startGateway } from '@cascade/gateway';
import { serviceModules } from './services';

export interface Platform {
  gateway: RunningGateway;
  services: RunningService[];
  secrets: Secrets;
  bus: EventBus;
  log: DurableLog;
  stop(): Promise<void>;
}

/**
 * Starts every subgraph and the gateway in this process (embedded mode, and the tests).
 * Port 0 picks free ports. The supergraph is composed from the running subgraphs.
 */
export async function startPlatform(config: Config, logger: Logger = createLogger('cascade', config.LOG_LEVEL)): Promise<Platform> {
  const secrets = resolveSecrets(config);
  const services: RunningService[] = [];
  // one bus for every service of this process: in-process, or Redis when REDIS_URL is set
  const bus = createEventBus({ redisUrl: config.REDIS_URL, prefix: config.EVENT_CHANNEL_PREFIX, logger });
  // durable events (media's distributions to campaigns): Redis Streams, or in-process
  const log = createDurableLog({ redisUrl: config.REDIS_URL, prefix: config.EVENT_CHANNEL_PREFIX, logger, claimIdleSeconds: config.STREAM_CLAIM_IDLE_SECONDS });
  try {
    for (const [index, module] of serviceModules.entries()) {
      const port = config.SUBGRAPH_PORTS === 0 ? 0 : config.SUBGRAPH_PORTS + index;
      // later services check references owned by earlier ones (units, activities) at their
      // addresses; org's auditLog asks those started after it, so each address is read when used
      const urlOf = (name: string) => services.find((s) => s.name === name)?.url;
      // one process holds every service (embedded mode, tests): it migrates at start, whatever NODE_ENV
      const serviceConfig = { ...config, MIGRATE_ON_START: config.MIGRATE_ON_START ?? true };
      for (const name of ['org', 'campaigns', 'media', 'feeds', 'reports'] as const) {
        const variable = `${name.toUpperCase() as Uppercase<typeof name>}_URL` as const;
        Object.defineProperty(serviceConfig, variable, { get: () => config[variable] ?? urlOf(name), enumerable: true });
      }
      services.push(await startService(module, { config: serviceConfig, secrets, port, bus, log, logger: createLogger(module.name, logger.level) }));
    }
    const supergraphSdl = composeSupergraph(services.map((s) => ({ name: s.name, url: s.url, typeDefs: s.typeDefs })));
    const gateway = await startGateway({
      supergraphSdl,
      subgraphUrls: Object.fromEntries(services.map((s) => [s.name, s.url])),
      // uploads and downloads: the media service's own HTTP, beside its /graphql
      mediaUrl: services.find((s) => s.name === 'media')?.url.replace(/\/graphql$/, ''),
      // a report's .docx: the reports service's own HTTP
      reportsUrl: services.find((s) => s.name === 'reports')?.url.replace(/\/graphql$/, ''),
      config,
      secrets,
      logger: createLogger('gateway', logger.level),
      port: config.PORT,
      bus,
    });
    return {
      gateway,
      services,
      secrets,
      bus,
      log,
      async stop() {
        await gateway.stop();
        for (const service of services.reverse()) await service.stop();
        await log.close();
        await bus.close();
      },
    };
  } catch (err) {
    for (const service of services) await service.stop().catch(() => undefined);
    await log.close();
    await bus.close();
    throw err;
  }
}
