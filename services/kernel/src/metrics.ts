import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import client from 'prom-client';
import { EventLag, eventLag } from './event-lag';

/**
 * Prometheus metrics of this process. One registry per process: in embedded mode the gateway
 * and every subgraph share it, told apart by their `service` label, and each of their
 * `/metrics` answers the whole process.
 */
export const metricsRegistry = new client.Registry();
client.collectDefaultMetrics({ register: metricsRegistry });

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const metrics = {
  operations: new client.Counter({
    name: 'cascade_graphql_operations_total',
    help: 'GraphQL operations answered, per operation name (bounded: __other past the cap) and type',
    labelNames: ['service', 'operation', 'type'] as const,
    registers: [metricsRegistry],
  }),
  operationErrors: new client.Counter({
    name: 'cascade_graphql_operation_errors_total',
    help: 'GraphQL operations answered with errors, per operation name and first error code',
    labelNames: ['service', 'operation', 'code'] as const,
    registers: [metricsRegistry],
  }),
  operationSeconds: new client.Histogram({
    name: 'cascade_graphql_operation_duration_seconds',
    help: 'Time to answer a GraphQL operation, per operation name and type',
    labelNames: ['service', 'operation', 'type'] as const,
    buckets: SECONDS,
    registers: [metricsRegistry],
  }),
  subgraphFetchSeconds: new client.Histogram({
    name: 'cascade_subgraph_fetch_duration_seconds',
    help: 'Gateway to subgraph HTTP fetches, per subgraph and outcome (ok, http_error, network_error)',
    labelNames: ['subgraph', 'outcome'] as const,
    buckets: SECONDS,
    registers: [metricsRegistry],
  }),
  websocketsOpen: new client.Gauge({
    name: 'cascade_websockets_open',
    help: 'Open WebSocket connections',
    labelNames: ['service'] as const,
    registers: [metricsRegistry],
  }),
  httpConnectionsOpen: new client.Gauge({
    name: 'cascade_http_connections_open',
    help: 'Open TCP connections of the HTTP server (keep-alive and WebSocket ones included)',
    labelNames: ['service'] as const,
    registers: [metricsRegistry],
  }),
  subscriptionsActive: new client.Gauge({
    name: 'cascade_subscriptions_active',
    help: 'GraphQL subscriptions currently streaming to clients',
    labelNames: ['service'] as const,
    registers: [metricsRegistry],
  }),
  groupCommitBatch: new client.Histogram({
    name: 'cascade_group_commit_batch_size',
    help: 'Increments applied in one group-commit transaction',
    labelNames: ['service'] as const,
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
    registers: [metricsRegistry],
  }),
};

/** A batch of `size` increments committed together (campaigns' IncrementBatcher). */
export function observeGroupCommitBatch(service: string, size: number): void {
  metrics.groupCommitBatch.observe({ service }, size);
}

/** A read of the event lag that takes longer is left out of that scrape: a stuck store must not stall /metrics. */
const LAG_BOUND_MS = 2_000;

let lagRead: Promise<EventLag | null> | null = null;
/**
 * The outboxes and stream consumer groups of this process (event-lag.ts: they register
 * themselves), read once per scrape for all four gauges below.
 */
function readLagOnce(): Promise<EventLag | null> {
  lagRead ??= (async () => {
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<null>((resolve) => (timer = setTimeout(resolve, LAG_BOUND_MS, null)));
    try {
      return await Promise.race([eventLag(), bound]);
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
    }
  })().finally(() => setImmediate(() => (lagRead = null)));
  return lagRead;
}

function lagGauge(name: string, help: string, labelNames: readonly string[], fill: (gauge: client.Gauge, lag: EventLag) => void) {
  new client.Gauge({
    name,
    help,
    labelNames,
    registers: [metricsRegistry],
    async collect() {
      this.reset();
      const lag = await readLagOnce();
      if (lag) fill(this, lag);
    },
  });
}

lagGauge('cascade_outbox_unsent_events', 'Outbox rows written with their change and not yet sent to the stream, per service', ['service'], (g, lag) => {
  for (const o of lag.outboxes) g.set({ service: o.service }, o.unsent);
});
lagGauge('cascade_outbox_oldest_unsent_seconds', 'Age of the oldest unsent outbox row, per service (0 when none)', ['service'], (g, lag) => {
  for (const o of lag.outboxes) g.set({ service: o.service }, o.oldestSeconds);
});
lagGauge('cascade_stream_pending_events', 'Stream events delivered to a consumer group and not yet acknowledged, per topic and group', ['topic', 'group'], (g, lag) => {
  for (const s of lag.streams) g.set({ topic: s.topic, group: s.group }, s.pending);
});
lagGauge('cascade_stream_undelivered_events', 'Stream events not yet delivered to a consumer group, per topic and group', ['topic', 'group'], (g, lag) => {
  for (const s of lag.streams) if (s.undelivered !== null) g.set({ topic: s.topic, group: s.group }, s.undelivered);
});

/** Counts an HTTP server's open connections at each scrape, under `service`; returns the undo. */
export function trackHttpConnections(service: string, server: http.Server): () => void {
  const gauge = metrics.httpConnectionsOpen;
  let open = 0;
  const onConnection = (socket: import('node:net').Socket) => {
    gauge.inc({ service });
    open++;
    socket.once('close', () => (gauge.dec({ service }), open--));
  };
  server.on('connection', onConnection);
  return () => {
    server.off('connection', onConnection);
    gauge.dec({ service }, open);
  };
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Operation names as label values. A name is chosen by the client, so a hostile one could
 * create a time series per request: only plain GraphQL names are kept, at most `cap` distinct
 * ones per service (the first seen); every other is `__other`, a missing one `__anonymous`.
 */
export class OperationNames {
  private readonly seen = new Set<string>();

  constructor(private readonly cap = 100) {}

  label(name: string | null | undefined): string {
    if (!name) return '__anonymous';
    if (this.seen.has(name)) return name;
    if (!NAME.test(name) || this.seen.size >= this.cap) return '__other';
    this.seen.add(name);
    return name;
  }
}

/** Error codes as label values: the platform's codes, else OTHER. */
const CODES = new Set([
  'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'CONFLICT', 'RATE_LIMITED', 'INTERNAL_SERVER_ERROR',
  'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_REQUEST', 'SERVICE_UNAVAILABLE', 'PERSISTED_QUERY_NOT_FOUND',
  'DOWNSTREAM_SERVICE_ERROR', 'TIMEOUT',
]);

export function errorCodeLabel(errors: readonly { extensions?: Record<string, unknown> }[] | undefined): string | null {
  if (!errors?.length) return null;
  const code = errors[0].extensions?.code;
  return typeof code === 'string' && CODES.has(code) ? code : 'OTHER';
}

/**
 * `GET /metrics` of any of the processes. It is served on the same port as the rest, so it is
 * guarded: off (404, as an unknown path) unless METRICS_TOKEN is set, and then only for
 * `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise). The public gateway thus shows nothing
 * of its internals to a client, and Prometheus scrapes with the token (`authorization` in its
 * scrape config).
 */
export async function answerMetrics(req: http.IncomingMessage, res: http.ServerResponse, token: string | undefined): Promise<void> {
  const refuse = (status: number, code: string, message: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
  };
  if (!token) return refuse(404, 'NOT_FOUND', 'Not found');
  if (req.method !== 'GET') return refuse(405, 'BAD_REQUEST', 'Metrics are read with GET', { allow: 'GET' });
  const given = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (!given || !sameSecret(given, token)) return refuse(401, 'UNAUTHENTICATED', 'Metrics need the metrics token', { 'www-authenticate': 'Bearer' });
  const text = await metricsRegistry.metrics();
  res.writeHead(200, { 'content-type': metricsRegistry.contentType, 'cache-control': 'no-store' });
  res.end(text);
}

/** Compares digests, so neither the length nor the first differing byte shows in the time taken. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
