import { answerMetrics, Config, EventBus, INTERNAL_CONTEXT_HEADER, listen, Logger, metrics, REQUEST_ID_HEADER, requestIdOf, Secrets, trackHttpConnections, withRequestId } from '@cascade/kernel';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { authPlugin } from './auth-plugin';
import { errorCodesPlugin } from './error-codes-plugin';
import { hiveLogger } from './hive-logger';
import { guarded, refuseWithBody } from './http-answers';
import { limitPlugins } from './limits';
import { mediaBodyLimit, proxyMedia } from './media-proxy';
import { SubscriptionMultiplexer } from './multiplexer';
import { PersistedDocuments, persistedQueries } from './persisted-queries';
import { metricsPlugin, tracingPlugins } from './observability';
import { subgraphErrorsPlugin } from './planner-errors';
import { rustQueryPlanner } from './query-planner';
import { readBoundedBody } from './request-body';
import { routeOf } from './routes';
import { ScreenLinkStatus } from './screen-links';
import { serveScreen } from './screen-page';
import { sharedSubscriptions, subscriptionsOverWebSocketOnly } from './subscription-rules';
import { TokenStatus } from './token-status';
import { VerifiedTokens } from './verified-tokens';
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
  /** The reports service's base address: `/reports/download/*` (the .docx) is forwarded there. */
  reportsUrl?: string;
}

export interface RunningGateway {
  url: string;
  server: http.Server;
  multiplexer: SubscriptionMultiplexer;
  stop(): Promise<void>;
}

/** Builds the Hive Gateway runtime: one endpoint, composed from the subgraphs. */
export function createRuntime(options: Omit<GatewayOptions, 'port'>, screens: ScreenLinkStatus, multiplexer: SubscriptionMultiplexer) {
  const production = options.config.NODE_ENV === 'production';
  const verifiedTokens = new VerifiedTokens(options.secrets.jwtSecret);
  const tokens = new TokenStatus(
    options.subgraphUrls.org,
    verifiedTokens,
    options.secrets.internalSecret,
    options.config.TOKEN_STATUS_CACHE_SECONDS * 1000,
  );
  const persisted = persistedQueries(new PersistedDocuments({ maxDocuments: options.config.PERSISTED_QUERIES_MAX_DOCUMENTS, maxBytes: options.config.PERSISTED_QUERIES_MAX_BYTES }));
  const log = hiveLogger(options.logger);
  return createGatewayRuntime({
    supergraph: options.supergraphSdl,
    transportEntries: Object.fromEntries(
      Object.entries(options.subgraphUrls).map(([name, location]) => [name, transportEntry(name, location)]),
    ),
    plugins: () => [
      // first: their spans and timings enclose every other plugin's work
      ...tracingPlugins(log),
      metricsPlugin(options.subgraphUrls),
      // then: every later hook sees the text of a document sent by its hash
      persisted.lookup,
      subscriptionsOverWebSocketOnly(),
      authPlugin({ internalSecret: options.secrets.internalSecret, screens, tokens, verifiedTokens }),
      ...limitPlugins(),
      errorCodesPlugin(),
      subgraphErrorsPlugin(),
      sharedSubscriptions({ multiplexer, maxPerUser: options.config.MAX_SUBSCRIPTIONS_PER_USER }),
      // last: a document sent with its hash is kept only once everything above accepted it
      persisted.remember,
    ],
    // the Rust query planner (Hive Router's): plans are made and run without the JS planner
    unifiedGraphHandler: rustQueryPlanner(),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    readinessCheckEndpoint: '/readyz',
    batching: false,
    // No entity cache to configure: the Rust planner's executor sends each distinct
    // representation once per fetch (one heavy query: 27 representations, where the JS
    // planner with its DataLoader cache off sent 100) and keeps nothing between fetches, so
    // every subscription event fetches its federated fields afresh.
    landingPage: false,
    // Only the origins in CORS_ORIGINS get CORS headers (the runtime's default reflects every
    // origin, with credentials); any other, "null" included, gets none and the browser refuses.
    cors: (request) => {
      const origin = request.headers.get('origin');
      if (!origin || !options.config.CORS_ORIGINS.includes(origin)) return false;
      return { origin: [origin], credentials: true, methods: ['GET', 'POST'], allowedHeaders: ['authorization', 'content-type', 'x-request-id'], exposedHeaders: ['x-request-id'], maxAge: 600 };
    },
    graphiql: !production,
    // GraphiQL's scripts and styles inline in its page: the default loads them from a CDN, and
    // on a network that reaches only the gateway the page stays blank (test/graphiql.e2e)
    renderGraphiQL,
    maskedErrors: { isDev: !production },
    disableIntrospection: production ? { disableIf: () => true } : undefined,
    // JSON lines through the gateway's logger, secrets removed, never below info (hive-logger.ts)
    logging: log,
    // x-request-id: checked and set on the request before the runtime sees it (startGateway);
    // the runtime echoes it, forwards it on every subgraph fetch and puts it on its log lines
    requestId: { headerName: REQUEST_ID_HEADER },
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
 * The public HTTP server. Every request is routed on its raw path (routes.ts): POST /graphql
 * with its body read here under MAX_BODY_BYTES (Content-Length or chunked), the probes, the
 * screen pages, media uploads and downloads; anything else answers 4xx and reaches nothing.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const screens = new ScreenLinkStatus(options.subgraphUrls.feeds, options.secrets.internalSecret);
  const multiplexer = new SubscriptionMultiplexer();
  const runtime = createRuntime(options, screens, multiplexer);
  // load the supergraph now: a WebSocket operation arriving before the first HTTP request
  // would otherwise meet a gateway without a schema
  await runtime.getSchema();
  const maxBody = options.config.MAX_BODY_BYTES;
  const logError = (err: unknown) => options.logger.error({ err }, 'request failed');
  const server = http.createServer((req, res) => {
    // the client's id if well-formed, else a new one: on the answer, on every log line
    // written for it (kernel request-id.ts), on every subgraph fetch (the runtime's requestId)
    const requestId = requestIdOf(req.headers[REQUEST_ID_HEADER]);
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    return withRequestId(requestId, () => serve(req, res));
  });
  const serve = (req: http.IncomingMessage, res: http.ServerResponse) =>
    guarded(res, logError, async () => {
      const route = routeOf(req.url);
      switch (route.kind) {
        case 'bad-path':
          return refuseWithBody(req, res, 400, 'BAD_REQUEST', 'Malformed path');
        case 'not-found':
          return refuseWithBody(req, res, 404, 'NOT_FOUND', 'Not found');
        case 'media':
          // uploads and downloads: streamed to the media service, with their own body limit
          if (!options.mediaUrl) return refuseWithBody(req, res, 404, 'NOT_FOUND', 'Not found');
          return proxyMedia(req, res, {
            target: options.mediaUrl,
            maxBodyBytes: mediaBodyLimit(options.config),
            idleTimeoutMs: options.config.MEDIA_IDLE_TIMEOUT_SECONDS * 1000,
          });
        case 'reports':
          // a report's .docx: nothing is uploaded this way (no body), reads may be slow to render
          if (!options.reportsUrl) return refuseWithBody(req, res, 404, 'NOT_FOUND', 'Not found');
          if (req.method !== 'GET' && req.method !== 'HEAD') return refuseWithBody(req, res, 405, 'BAD_REQUEST', 'Reports are downloaded with GET');
          return proxyMedia(req, res, { target: options.reportsUrl, maxBodyBytes: 0, idleTimeoutMs: options.config.MEDIA_IDLE_TIMEOUT_SECONDS * 1000 });
        case 'screen':
          if (req.method !== 'GET' && req.method !== 'HEAD') return refuseWithBody(req, res, 405, 'BAD_REQUEST', 'Screens are read with GET');
          return serveScreen(req, res, route.rest, { jwtSecret: options.secrets.jwtSecret, screens });
        case 'probe':
          return runtime(req, res);
        case 'metrics':
          // off unless METRICS_TOKEN is set, then only with it (kernel metrics.ts)
          return answerMetrics(req, res, options.config.METRICS_TOKEN);
        case 'graphql': {
          if (req.method === 'POST') {
            const body = await readBoundedBody(req, res, maxBody, options.config.REQUEST_TIMEOUT_SECONDS * 1000);
            if (!body) return;
            // the runtime takes a body already read (a Uint8Array) instead of the stream
            (req as http.IncomingMessage & { body?: Buffer }).body = body;
          } else if (req.method !== 'GET' && req.method !== 'OPTIONS') {
            return refuseWithBody(req, res, 405, 'BAD_REQUEST', 'GraphQL is served with POST (and GET)');
          }
          return runtime(req, res);
        }
      }
    });
  // No total bound on a request: a 1 GiB upload may take minutes. Headers have one; a
  // /graphql body has its deadline (readBoundedBody) and media transfers an idle bound.
  server.requestTimeout = 0;
  server.headersTimeout = options.config.REQUEST_TIMEOUT_SECONDS * 1000;
  const untrackConnections = trackHttpConnections('gateway', server);
  server.on('upgrade', (req, socket) => {
    // every WebSocket at /graphql, from its upgrade until its socket closes (a refused one closes at once)
    if (routeOf(req.url).kind !== 'graphql') return;
    metrics.websocketsOpen.inc({ service: 'gateway' });
    socket.once('close', () => metrics.websocketsOpen.dec({ service: 'gateway' }));
  });
  const websocket = attachWebSocket(server, runtime, {
    jwtSecret: options.secrets.jwtSecret,
    maxSubscriptionsPerSocket: options.config.MAX_SUBSCRIPTIONS_PER_SOCKET,
    maxMessageBytes: maxBody,
    maxPendingPerAddress: options.config.MAX_PENDING_SOCKETS_PER_ADDRESS,
    logger: options.logger,
    screens,
  });
  const stopRevocations = await options.bus.subscribe('screen.revoked', ({ linkId }) => {
    screens.markRevoked(linkId);
    websocket.closeScreen(linkId);
  });
  await listen(server, options.port, options.config.HOST, 'the gateway (PORT)');
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.config.HOST}:${port}/graphql`;
  options.logger.info({ url }, 'gateway listening');
  return {
    url,
    server,
    multiplexer,
    async stop() {
      stopRevocations();
      await websocket.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await runtime.dispose();
      untrackConnections();
    },
  };
}
