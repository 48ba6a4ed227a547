import { createTraceExporter, errorCodeLabel, metrics, OperationNames, traceServiceName, tracingEnabled } from '@cascade/kernel';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { Logger as HiveLogger } from '@graphql-hive/logger';
import { useOpenTelemetry } from '@graphql-hive/plugin-opentelemetry';
import { openTelemetrySetup } from '@graphql-hive/plugin-opentelemetry/setup';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { DocumentNode, ExecutionResult, getOperationAST } from 'graphql';

const SERVICE = 'gateway';

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  !!value && typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';

/** What is known of an HTTP operation between its parameters and its answer. */
interface Pending {
  started: number;
  name: string | null;
  type: string;
  code: string | null;
}

function operationOf(document: DocumentNode, operationName: string | null | undefined) {
  const operation = getOperationAST(document, operationName ?? undefined);
  return { name: operation?.name?.value ?? operationName ?? null, type: operation?.operation ?? 'unknown' };
}

/**
 * Prometheus metrics of the gateway (kernel metrics.ts):
 * - per operation (name bounded by OperationNames, type): requests, errors by first error code,
 *   latency. Over HTTP from parameters to response, so refusals before execution (parse,
 *   validation, limits, sign-in) count too; over graphql-ws from execution to its result;
 * - active subscriptions, from the moment a stream starts until it ends for that subscriber;
 * - each subgraph fetch's latency by subgraph and outcome (ok, http_error, network_error).
 */
export function metricsPlugin(subgraphUrls: Record<string, string>): GatewayPlugin {
  const names = new OperationNames();
  const pending = new WeakMap<Request, Pending>();
  const subgraphs = Object.entries(subgraphUrls).map(([name, url]) => ({ name, url: url.split('?')[0] }));
  const subgraphOf = (url: string) => subgraphs.find((s) => url.split('?')[0] === s.url)?.name;
  const record = (name: string | null, type: string, code: string | null, seconds: number) => {
    const operation = names.label(name);
    metrics.operations.inc({ service: SERVICE, operation, type });
    if (code) metrics.operationErrors.inc({ service: SERVICE, operation, code });
    metrics.operationSeconds.observe({ service: SERVICE, operation, type }, seconds);
  };
  const requestOf = (context: unknown) => (context as { request?: Request } | undefined)?.request;
  return {
    onParams({ request, params }) {
      // operations over graphql-ws pass here too, without an HTTP request: counted at execution
      if (!request) return;
      pending.set(request, { started: performance.now(), name: typeof params.operationName === 'string' ? params.operationName : null, type: 'unknown', code: null });
    },
    onExecute({ args }) {
      const operation = operationOf(args.document, args.operationName);
      const http = pending.get(requestOf(args.contextValue)!);
      if (http) return void Object.assign(http, operation);
      // over graphql-ws: no HTTP answer to wait for
      const started = performance.now();
      return {
        onExecuteDone({ result }) {
          const errors = isAsyncIterable(result) ? undefined : (result as ExecutionResult).errors;
          record(operation.name, operation.type, errorCodeLabel(errors), (performance.now() - started) / 1000);
        },
      };
    },
    onSubscribe({ args }) {
      const operation = operationOf(args.document, args.operationName);
      const started = performance.now();
      return {
        onSubscribeResult({ result }) {
          if (!isAsyncIterable(result)) {
            record(operation.name, 'subscription', errorCodeLabel((result as ExecutionResult).errors), (performance.now() - started) / 1000);
            return;
          }
          record(operation.name, 'subscription', null, (performance.now() - started) / 1000);
          metrics.subscriptionsActive.inc({ service: SERVICE });
          let ended = false;
          return {
            onEnd() {
              if (ended) return;
              ended = true;
              metrics.subscriptionsActive.dec({ service: SERVICE });
            },
          };
        },
      };
    },
    onResultProcess({ request, result }) {
      const http = pending.get(request);
      if (!http || isAsyncIterable(result)) return;
      const first = (Array.isArray(result) ? result[0] : result) as ExecutionResult | undefined;
      http.code = errorCodeLabel(first?.errors);
    },
    onResponse({ request }) {
      const http = pending.get(request);
      if (!http) return;
      pending.delete(request);
      // a subscription refused over HTTP is a request like any other; streams are counted above
      record(http.name, http.type, http.code, (performance.now() - http.started) / 1000);
    },
    onFetch({ url, fetchFn, setFetchFn }) {
      const subgraph = subgraphOf(url);
      if (!subgraph) return;
      setFetchFn(async (...args: Parameters<typeof fetchFn>) => {
        const started = performance.now();
        const observe = (outcome: string) => metrics.subgraphFetchSeconds.observe({ subgraph, outcome }, (performance.now() - started) / 1000);
        try {
          const response = await fetchFn(...args);
          observe(response.ok ? 'ok' : 'http_error');
          return response;
        } catch (err) {
          observe('network_error');
          throw err;
        }
      });
    },
  };
}

let tracingSetUp = false;

/**
 * Hive Gateway's OpenTelemetry plugin when an OTLP endpoint is configured (kernel tracing.ts),
 * else nothing. Its spans (HTTP request, GraphQL phases, each subgraph execution and fetch) go
 * through the same secret filter as the subgraphs' spans; `traceparent` is sent on every
 * subgraph fetch, where each subgraph continues the trace. The tracer provider is global,
 * set once per process.
 */
export function tracingPlugins(log: HiveLogger): GatewayPlugin[] {
  if (!tracingEnabled()) return [];
  if (!tracingSetUp) {
    tracingSetUp = true;
    openTelemetrySetup({
      contextManager: new AsyncLocalStorageContextManager(),
      resource: { serviceName: traceServiceName(SERVICE) },
      traces: { exporter: createTraceExporter() as never },
      log,
    });
  }
  return [
    useOpenTelemetry({
      traces: {
        spans: {
          // probes and scrapes are not requests of anyone
          http: ({ request }) => !/\/(healthz|readyz|metrics)$/.test(new URL(request.url).pathname),
          schema: false,
        },
      },
    }) as GatewayPlugin,
  ];
}
