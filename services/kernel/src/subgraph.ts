import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import express from 'express';
import { GraphQLError, GraphQLSchema, parse } from 'graphql';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { GraphQLDateTime } from 'graphql-scalars';
import { WebSocketServer } from 'ws';
import { buildSchema, createResolversMap, NonEmptyArray, PubSub } from 'type-graphql';
import { DataSource } from 'typeorm';
import { Config } from './config';
import { Claims, INTERNAL_CONTEXT_HEADER, verifyInternalContext, verifySocketContext } from './context';
import { listen } from './process';
import { useServer } from './ws-server';
import { databaseReady } from './database';
import { maskError } from './errors';
import { guardResolvers } from './input-guard';
import { Logger } from './logger';
import { answerMetrics, errorCodeLabel, metrics, OperationNames, trackHttpConnections } from './metrics';
import { currentRequestId, currentRequestSpan, REQUEST_ID_HEADER, requestIdOf, withRequestId } from './request-id';
import { endRequestSpan, SubgraphTracing } from './tracing';
import { ScopedData } from './scoped-data';
import { Scope } from './scope';
import { checkScreenOperation } from './screen-rules';

const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", ' +
  'import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible"])';

/** What every resolver receives: built once per request from the verified internal context. */
export interface RequestContext {
  claims: Claims;
  scope: Scope;
  data: ScopedData;
  /**
   * After a successful signIn only: the rest of this request (the payload's `user { tenant }`)
   * runs as the user who just signed in. Replaces claims, scope, data and loaders together.
   */
  signedInAs(this: RequestContext, claims: Claims): void;
}

type ReferenceResolvers = Record<string, { __resolveReference: (ref: any, ctx: any) => unknown }>;

export interface SubgraphDefinition<C extends RequestContext> {
  name: string;
  resolvers: NonEmptyArray<Function>;
  orphanedTypes?: Function[];
  /** `__resolveReference` per federation entity type name. */
  references?: ReferenceResolvers;
  /** Needed by type-graphql whenever the subgraph has @Subscription fields. */
  pubSub?: PubSub;
  /** Adds the service's per-request parts (loaders) to the base context. */
  extendContext: (base: RequestContext) => C;
  /**
   * Plain HTTP beside /graphql, on the same server (media's signed upload and download
   * URLs): a handler that answers what it serves and calls next() for the rest.
   */
  http?: (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;
}

export interface BuiltSubgraph {
  schema: GraphQLSchema;
  /** The subgraph SDL with federation directives, as composed into the supergraph. */
  typeDefs: string;
}

/** type-graphql → SDL with directives → @apollo/subgraph (STACK.md, "Subgraph schema"). */
export async function buildFederatedSchema(def: SubgraphDefinition<any>): Promise<BuiltSubgraph> {
  const typeGraphqlSchema = await buildSchema({
    resolvers: def.resolvers,
    orphanedTypes: def.orphanedTypes,
    skipCheck: true,
    validate: false,
    pubSub: def.pubSub,
    // API.md names it DateTime (type-graphql's default would be DateTimeISO)
    scalarsMap: [{ type: Date, scalar: GraphQLDateTime }],
  });
  const typeDefs = `${FEDERATION_LINK}\n\n${printSchemaWithDirectives(typeGraphqlSchema)}`;
  // every argument of every field is checked against the input rules before its resolver runs
  const resolvers = guardResolvers(typeGraphqlSchema, createResolversMap(typeGraphqlSchema) as Record<string, any>);
  for (const [typeName, reference] of Object.entries(def.references ?? {})) {
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), ...reference };
  }
  const schema = buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers });
  return { schema, typeDefs };
}

export interface RunningSubgraph {
  name: string;
  url: string;
  typeDefs: string;
  server: http.Server;
  stop(): Promise<void>;
}

export interface ServeOptions<C extends RequestContext> {
  definition: SubgraphDefinition<C>;
  dataSource: DataSource;
  internalSecret: string;
  port: number;
  host: string;
  development: boolean;
  logger: Logger;
  /** The largest request body /graphql reads: internalBodyLimit(config). */
  maxBodyBytes: number;
  /** Reads /metrics (metrics.ts); unset: /metrics answers 404. */
  metricsToken?: string;
}

/**
 * What a subgraph reads in one request: what the gateway accepts from a client
 * (MAX_BODY_BYTES) with room for what the gateway adds on the way (the query plan's
 * selections, entity representations), so a request the gateway accepted is never refused
 * for its size on the next hop. Internal lookups (fetchEntities) carry at most a list of ids.
 */
export function internalBodyLimit(config: Pick<Config, 'MAX_BODY_BYTES'>): number {
  return 4 * config.MAX_BODY_BYTES;
}

/**
 * Serves a subgraph on @apollo/server with /graphql, /healthz and /readyz. Every GraphQL
 * request must carry a valid signed internal context from the gateway, so `_entities` and
 * `_service` cannot be reached around it.
 */
export async function serveSubgraph<C extends RequestContext>(options: ServeOptions<C>): Promise<RunningSubgraph> {
  const { definition, dataSource, logger } = options;
  const { schema, typeDefs } = await buildFederatedSchema(definition);
  const apollo = new ApolloServer<C>({
    schema,
    plugins: [ApolloServerPluginInlineTraceDisabled(), screenClaimsPlugin(schema), operationMetricsPlugin(definition.name)],
    introspection: options.development,
    includeStacktraceInErrorResponses: options.development,
    formatError: (formatted, error) => {
      const code = formatted.extensions?.code;
      if (!code || code === 'INTERNAL_SERVER_ERROR') {
        logger.error({ err: error, path: formatted.path }, 'resolver failed');
      }
      return maskError(formatted, options.development);
    },
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  const tracing = SubgraphTracing.create(definition.name);
  app.use(requestScope(tracing));
  app.get('/metrics', (req, res) => void answerMetrics(req, res, options.metricsToken));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: definition.name });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = await databaseReady(dataSource);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', service: definition.name });
  });
  const build = (claims: Claims): C => {
    const scope = new Scope(claims);
    return definition.extendContext({
      claims,
      scope,
      data: ScopedData.forRequest(dataSource, scope),
      // `this`, not a captured object: Apollo clones the context per operation
      signedInAs(this: RequestContext, signedIn: Claims) {
        Object.assign(this, build(signedIn));
      },
    });
  };
  if (definition.http) app.use(definition.http);
  app.use(
    '/graphql',
    // the exact bytes received, which the context's signature must cover (context.ts)
    express.json({ limit: options.maxBodyBytes, verify: (req, _res, raw) => ((req as RawBodyRequest).rawBody = raw) }),
    reenterRequestScope,
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        let claims: Claims;
        try {
          claims = verifyInternalContext(req.header(INTERNAL_CONTEXT_HEADER), options.internalSecret, (req as RawBodyRequest).rawBody);
        } catch (err) {
          const message = err instanceof Error ? err.message : 'Unauthenticated';
          throw new GraphQLError(message, {
            extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
          });
        }
        return build(claims);
      },
    }),
  );

  app.use(answerBodyErrorsAsJson(options.maxBodyBytes, logger));

  const server = http.createServer(app);
  const untrackConnections = trackHttpConnections(definition.name, server);
  // Subscriptions reach a subgraph over graphql-ws from the gateway, a short-lived socket context
  // in connection_init (signSocketContext); a socket without a valid one is closed (4403), and a
  // subscription starts only while it is still valid, so a captured value opens nothing later.
  let wss: WebSocketServer | null = null;
  if (schema.getSubscriptionType()) {
    wss = new WebSocketServer({ server, path: '/graphql' });
    wss.on('connection', (socket) => {
      metrics.websocketsOpen.inc({ service: definition.name });
      socket.once('close', () => metrics.websocketsOpen.dec({ service: definition.name }));
    });
    useServer(
      {
        schema,
        onConnect: (ctx) => {
          try {
            Object.assign(ctx.extra, verifySocketContext(ctx.connectionParams?.[INTERNAL_CONTEXT_HEADER] as string, options.internalSecret));
            return true;
          } catch {
            return false;
          }
        },
        onSubscribe: (ctx, _id, payload) => {
          const { claims, expiresAt } = ctx.extra as unknown as SocketClaims;
          if (expiresAt < Math.floor(Date.now() / 1000)) {
            return [new GraphQLError('Expired internal context', { extensions: { code: 'UNAUTHENTICATED' } })];
          }
          if (!claims.screen) return;
          let document;
          try {
            document = parse(payload.query);
          } catch {
            return; // graphql-ws answers the syntax error itself
          }
          const refused = checkScreenOperation(claims.screen, document, payload.operationName, payload.variables, schema, 'subgraph');
          return refused ? [refused] : undefined;
        },
        context: (ctx) => build((ctx.extra as unknown as SocketClaims).claims),
      },
      wss,
    );
  }
  await listen(server, options.port, options.host, `the ${definition.name} subgraph`);
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host}:${port}/graphql`;
  logger.info({ url }, `${definition.name} subgraph listening`);
  return {
    name: definition.name,
    url,
    typeDefs,
    server,
    async stop() {
      for (const client of wss?.clients ?? []) client.terminate();
      wss?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await apollo.stop();
      untrackConnections();
      await tracing?.stop();
    },
  };
}

type RawBodyRequest = http.IncomingMessage & { rawBody?: Buffer };

/** What a subgraph socket keeps from its connection_init (verifySocketContext). */
interface SocketClaims {
  claims: Claims;
  expiresAt: number;
}

/**
 * A screen link's claim runs no mutation and reads only its target in the subgraphs too, not
 * only at the gateway (screen-rules.ts): a signed screen context sent around the gateway gains nothing.
 */
function screenClaimsPlugin(schema: GraphQLSchema): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, operationName, request }) {
          const screen = contextValue.claims.screen;
          const refused = screen && checkScreenOperation(screen, document, operationName, request.variables, schema, 'subgraph');
          if (refused) throw refused;
        },
      };
    },
  };
}

/**
 * Express answers a body parser's errors (too large, not JSON) with an HTML page; a caller
 * (the gateway, fetchEntities) would then fail to parse it. Answers them as GraphQL JSON
 * with a code instead, as the gateway answers its own.
 */
function answerBodyErrorsAsJson(maxBodyBytes: number, logger: Logger): express.ErrorRequestHandler {
  return (err, _req, res, next) => {
    if (res.headersSent) return next(err);
    const status = Number(err?.status ?? err?.statusCode);
    const clientError = status >= 400 && status < 500;
    if (!clientError) logger.error({ err }, 'request failed');
    const [code, message] =
      status === 413
        ? ['BAD_USER_INPUT', `Request body larger than ${maxBodyBytes} bytes`]
        : clientError
          ? ['BAD_REQUEST', err?.type === 'entity.parse.failed' ? 'Request body is not valid JSON' : 'Bad request']
          : ['INTERNAL_SERVER_ERROR', 'Internal server error'];
    res.status(clientError ? status : 500).json({ errors: [{ message, extensions: { code } }] });
  };
}

type ScopedRequest = express.Request & { cascadeRequestId?: string; cascadeSpan?: import('@opentelemetry/api').Span };

/** Paths that are not requests of anyone (probes, scrapes): no span, no request id on the answer. */
const UNTRACED = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Names every request: its `x-request-id` (the gateway's, or a new one when called directly),
 * echoed on the answer and carried by every log line written while serving it; and, with
 * tracing on, its span, child of the caller's (`traceparent`), ended when the answer is sent.
 */
function requestScope(tracing: SubgraphTracing | null): express.RequestHandler {
  return (req: ScopedRequest, res, next) => {
    if (UNTRACED.has(req.path)) return next();
    const requestId = requestIdOf(req.headers[REQUEST_ID_HEADER]);
    req.cascadeRequestId = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const span = tracing?.startRequest(`${req.method} ${req.path === '/graphql' ? '/graphql' : 'http'}`, req.headers);
    if (span) {
      span.setAttribute('cascade.request_id', requestId);
      req.cascadeSpan = span;
      res.once('close', () => endRequestSpan(span, res.statusCode));
    }
    withRequestId(requestId, next, span);
  };
}

/**
 * The body parser calls on from its stream's events, outside the scope entered above:
 * entered again once the body is read, before the GraphQL server runs.
 */
const reenterRequestScope: express.RequestHandler = (req: ScopedRequest, _res, next) => {
  if (!req.cascadeRequestId || currentRequestId() === req.cascadeRequestId) return next();
  withRequestId(req.cascadeRequestId, next, req.cascadeSpan);
};

/**
 * Requests, errors and latency per operation (metrics.ts; names bounded by OperationNames),
 * and the operation's name and type on the request's span.
 */
function operationMetricsPlugin(service: string): ApolloServerPlugin<RequestContext> {
  const names = new OperationNames();
  return {
    async requestDidStart({ request }) {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, operation, response }) {
          const name = names.label(operationName ?? request.operationName);
          const type = operation?.operation ?? 'unknown';
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          const code = errorCodeLabel(errors);
          metrics.operations.inc({ service, operation: name, type });
          if (code) metrics.operationErrors.inc({ service, operation: name, code });
          metrics.operationSeconds.observe({ service, operation: name, type }, (performance.now() - started) / 1000);
          const span = currentRequestSpan();
          if (span) {
            span.updateName(`${type} ${name}`);
            span.setAttributes({ 'graphql.operation.name': name, 'graphql.operation.type': type });
            if (code) span.setAttribute('graphql.error.code', code);
          }
        },
      };
    },
  };
}
