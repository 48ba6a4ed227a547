import { DataSource, MixedList } from 'typeorm';
import { Config, loadConfigOrExit } from './config';
import { openDatabase } from './database';
import { DurableLog } from './durable-log';
import { createEventBus, EventBus } from './events';
import { createLogger, Logger } from './logger';
import { OutboxEvent } from './outbox';
import { OutboxRelay } from './outbox-relay';
import { assertPortsFree, runProcess } from './process';
import { createDurableLog } from './redis-streams';
import { resolveSecrets, Secrets } from './secrets';
import { internalBodyLimit, RequestContext, RunningSubgraph, serveSubgraph, SubgraphDefinition } from './subgraph';

/** What a service needs to build its subgraph. */
export interface ServiceDeps {
  dataSource: DataSource;
  config: Config;
  secrets: Secrets;
  logger: Logger;
  bus: EventBus;
  /** Durable events (outbox → stream → consumer groups): what changes data in another service. */
  log: DurableLog;
  /** Registers what the service opened for itself (a Redis connection) to be closed when it stops. */
  closeOnStop(resource: { close(): Promise<void> }): void;
}

/** A service as the platform starts it: its data and its subgraph. */
export interface ServiceModule<C extends RequestContext = any> {
  name: string;
  entities: MixedList<Function>;
  migrations: MixedList<Function>;
  subgraph(deps: ServiceDeps): SubgraphDefinition<C>;
}

export interface RunningService extends RunningSubgraph {
  dataSource: DataSource;
  /** The relay of its outbox, when it writes durable events (media). */
  outbox?: OutboxRelay;
}

export async function startService(
  module: ServiceModule,
  options: { config: Config; secrets: Secrets; port: number; bus: EventBus; log: DurableLog; logger?: Logger },
): Promise<RunningService> {
  const logger = options.logger ?? createLogger(module.name, options.config.LOG_LEVEL);
  const dataSource = await openDatabase({
    service: module.name,
    entities: module.entities,
    migrations: module.migrations,
    config: options.config,
    logger,
  });
  const opened: { close(): Promise<void> }[] = [];
  const deps: ServiceDeps = {
    dataSource,
    config: options.config,
    secrets: options.secrets,
    logger,
    bus: options.bus,
    log: options.log,
    closeOnStop: (resource) => opened.push(resource),
  };
  // a service whose transactions write outbox rows relays them to the durable log
  const outbox = dataSource.hasMetadata(OutboxEvent) ? new OutboxRelay({ service: module.name, dataSource, log: options.log, logger }).start() : undefined;
  if (outbox) opened.push(outbox);
  const closeOpened = async () => {
    for (const resource of opened) await resource.close();
    await dataSource.destroy();
  };
  let running: RunningSubgraph;
  try {
    running = await serveSubgraph({
      definition: module.subgraph(deps),
      dataSource,
      internalSecret: options.secrets.internalSecret,
      port: options.port,
      host: options.config.HOST,
      development: options.config.NODE_ENV !== 'production',
      logger,
      maxBodyBytes: internalBodyLimit(options.config),
      metricsToken: options.config.METRICS_TOKEN,
    });
  } catch (err) {
    // a start refused (a weak root password, a port taken) leaves no connection open behind it
    await closeOpened().catch(() => undefined);
    throw err;
  }
  return {
    ...running,
    dataSource,
    outbox,
    async stop() {
      await running.stop();
      await closeOpened();
    },
  };
}

/**
 * Entry point of a service running as its own process (production): PORT is its port.
 * Start failures, signals and last-resort errors are handled by runProcess.
 */
export function runStandalone(module: ServiceModule): void {
  runProcess(module.name, async () => {
    const config = loadConfigOrExit();
    await assertPortsFree(config.HOST, [{ port: config.PORT, what: `${module.name} service, PORT` }]);
    const logger = createLogger(module.name, config.LOG_LEVEL);
    const bus = createEventBus({ redisUrl: config.REDIS_URL, prefix: config.EVENT_CHANNEL_PREFIX, logger });
    const log = createDurableLog({ redisUrl: config.REDIS_URL, prefix: config.EVENT_CHANNEL_PREFIX, logger, claimIdleSeconds: config.STREAM_CLAIM_IDLE_SECONDS });
    const running = await startService(module, { config, secrets: resolveSecrets(config), port: config.PORT, bus, log, logger });
    return {
      async stop() {
        await running.stop();
        await log.close();
        await bus.close();
      },
    };
  });
}
