import { Config, EventBus, INTERNAL_CONTEXT_HEADER, Logger, Secrets } from '@cascade/kernel';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { authPlugin } from './auth-plugin';
import { errorCodesPlugin } from './error-codes-plugin';
import { limitPlugins } from './limits';
import { mediaBodyLimit, proxyMedia } from './media-proxy';
import { SubscriptionMultiplexer } from './multiplexer';
import { ScreenLinkStatus } from './screen-links';
import { serveScreen } from './screen-page';
import { attachWebSocket } from './websocket';

export interface GatewayOptions {
  supergraphSdl: string;
  /** Subgraph name → its /graphql address (overrides the address in the supergraph). */
  subgraphUrls: Record<string, string>;
  config: Config;
  secrets: Secrets;
  logger: Logger;
  port: number;
  /** Domain events (screen revocations close open screens at once). */
  bus: EventBus;
  /** The media service's base address: `/media/*` (uploads, downloads) is forwarded there. */
  mediaUrl?: string;
}

export interface RunningGateway {
  url: string;
  server: http.Server;
  multiplexer: SubscriptionMultiplexer;
  stop(): Promise<void>;
}

/** Builds the Hive Gateway runtime: one endpoint, composed from the subgraphs. */
export function createRuntime(options: Omit<GatewayOptions, 'port'>, screens: ScreenLinkStatus) {
  const production = options.config.NODE_ENV === 'production';
  return createGatewayRuntime({
    supergraph: options.supergraphSdl,
    transportEntries: Object.fromEntries(
      Object.entries(options.subgraphUrls).map(([name, location]) => [name, transportEntry(name, location)]),
    ),
    plugins: () => [
      authPlugin({ jwtSecret: options.secrets.jwtSecret, internalSecret: options.secrets.internalSecret, screens }),
      ...limitPlugins(),
      errorCodesPlugin(),
    ],
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    readinessCheckEndpoint: '/readyz',
    batching: false,
    // Entity fetches are batched per tick but never cached: a subscription keeps one context
    // for its whole life, and a cache keyed on it would answer every event with the first
    // event's values (the option is spread into the DataLoader options by the federation handler).
    __experimental__batchDelegateOptions: { cache: false } as { maxBatchSize?: number },
    landingPage: false,
    graphiql: !production,
    maskedErrors: { isDev: !production },
    disableIntrospection: production ? { disableIf: () => true } : undefined,
    logging: options.config.LOG_LEVEL === 'silent' ? false : 'warn',
  });
}

/**
 * How the gateway reaches a subgraph: HTTP, and for feeds (every subscription) graphql-ws
 * too, the signed context in connection_init. Entity fetches for events stay on HTTP.
 */
function transportEntry(name: string, location: string) {
  if (name !== 'feeds') return { location };
  return {
    location,
    options: {
      subscriptions: {
        kind: 'ws',
        location: '/graphql',
        options: { connectionParams: { [INTERNAL_CONTEXT_HEADER]: '{context.cascadeSignedContext}' } },
      },
    },
  };
}

/**
 * The public HTTP server: POST /graphql with a body size limit (checked before the runtime
 * reads a byte), health and readiness probes.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const screens = new ScreenLinkStatus(options.subgraphUrls.feeds, options.secrets.internalSecret);
  const runtime = createRuntime(options, screens);
  // load the supergraph now: a WebSocket operation arriving before the first HTTP request
  // would otherwise meet a gateway without a schema
  await runtime.getSchema();
  const maxBody = options.config.MAX_BODY_BYTES;
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    // uploads and downloads: streamed to the media service, with their own body limit
    if (path.startsWith('/media/') && options.mediaUrl) {
      return proxyMedia(req, res, { target: options.mediaUrl, maxBodyBytes: mediaBodyLimit(options.config) });
    }
    if (path === '/graphql' && req.method === 'POST') {
      const length = Number(req.headers['content-length']);
      if (!req.headers['content-length'] || !Number.isFinite(length)) {
        return sendError(res, 411, 'BAD_USER_INPUT', 'Content-Length is required');
      }
      if (length > maxBody) {
        return sendError(res, 413, 'BAD_USER_INPUT', `Request body larger than ${maxBody} bytes`);
      }
    }
    if (path.startsWith('/screen/') && req.method === 'GET') {
      void serveScreen(req, res, { jwtSecret: options.secrets.jwtSecret, screens });
      return;
    }
    void runtime(req, res);
  });
  server.requestTimeout = 30_000;
  const websocket = attachWebSocket(server, runtime, {
    jwtSecret: options.secrets.jwtSecret,
    maxSubscriptionsPerSocket: options.config.MAX_SUBSCRIPTIONS_PER_SOCKET,
    logger: options.logger,
    screens,
  });
  const stopRevocations = await options.bus.subscribe('screen.revoked', ({ linkId }) => {
    screens.markRevoked(linkId);
    websocket.closeScreen(linkId);
  });
  await new Promise<void>((resolve) => server.listen(options.port, options.config.HOST, resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.config.HOST}:${port}/graphql`;
  options.logger.info({ url }, 'gateway listening');
  return {
    url,
    server,
    multiplexer: websocket.multiplexer,
    async stop() {
      stopRevocations();
      await websocket.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await runtime.dispose();
    },
  };
}

function sendError(res: http.ServerResponse, status: number, code: string, message: string) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}
