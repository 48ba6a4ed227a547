import { ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace, Tracer } from '@opentelemetry/api';
import { ExportResult, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { Kind, parse, print, visit } from 'graphql';
import { scrubText } from './log-scrub';

/**
 * OpenTelemetry traces, configured by the standard variables (OTEL_EXPORTER_OTLP_ENDPOINT or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_HEADERS, OTEL_BSP_*, …) and off when
 * no endpoint is set (or OTEL_SDK_DISABLED=true, OTEL_TRACES_EXPORTER=none): then nothing is
 * created and no request pays for it. Spans go over OTLP/HTTP (JSON).
 */
export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** `service.name` of each part: one embedded process holds six, so OTEL_SERVICE_NAME cannot name them. */
export const traceServiceName = (service: string) => `cascade-${service}`;

/**
 * The OTLP exporter, behind a filter that keeps secrets out of the trace store as the logs
 * keep them out of log lines: a GraphQL document is exported with its literal values blanked
 * (`signIn(password: "")`: a password may be written inline), URLs without their query string
 * (a GET operation carries its variables there), exception texts without tokens.
 */
export function createTraceExporter(): SpanExporter {
  return new ScrubbingExporter(new OTLPTraceExporter());
}

class ScrubbingExporter implements SpanExporter {
  constructor(private readonly inner: SpanExporter) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans.map(scrubSpan), done);
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

const DOCUMENT_KEYS = new Set(['graphql.document', 'graphql.source']);
const URL_KEYS = new Set(['http.url', 'url.full', 'http.target', 'url.query']);

function scrubAttributes(attributes: ReadableSpan['attributes']): ReadableSpan['attributes'] {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value !== 'string') out[key] = value;
    else if (DOCUMENT_KEYS.has(key)) out[key] = withoutLiterals(value);
    else if (URL_KEYS.has(key)) out[key] = key === 'url.query' ? '' : value.split('?')[0];
    else out[key] = scrubText(value);
  }
  return out as ReadableSpan['attributes'];
}

function scrubSpan(span: ReadableSpan): ReadableSpan {
  // a view of the span with other attributes: everything else is read through to the original
  return Object.create(span, {
    attributes: { value: scrubAttributes(span.attributes) },
    events: { value: span.events.map((event) => ({ ...event, attributes: event.attributes && scrubAttributes(event.attributes) })) },
  });
}

/** A GraphQL document with every literal value blanked; one that does not parse is not exported. */
export function withoutLiterals(document: string): string {
  try {
    return print(
      visit(parse(document, { noLocation: true }), {
        StringValue: () => ({ kind: Kind.STRING, value: '' }),
        IntValue: () => ({ kind: Kind.INT, value: '0' }),
        FloatValue: () => ({ kind: Kind.FLOAT, value: '0' }),
      }),
    );
  } catch {
    return '[document not parsed]';
  }
}

const propagator = new W3CTraceContextPropagator();

/**
 * A subgraph's tracing: one SERVER span per request to it, child of the gateway's fetch span
 * named by the request's `traceparent`, so a trace holds the gateway and every subgraph it
 * called. Null when tracing is off.
 */
export class SubgraphTracing {
  private readonly provider: BasicTracerProvider;
  private readonly tracer: Tracer;

  static create(service: string): SubgraphTracing | null {
    return tracingEnabled() ? new SubgraphTracing(service) : null;
  }

  private constructor(service: string) {
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': traceServiceName(service) }),
      spanProcessors: [new BatchSpanProcessor(createTraceExporter())],
    });
    this.tracer = this.provider.getTracer('cascade-subgraph');
  }

  /** Starts the span of one incoming request, continuing the caller's trace if it sent one. */
  startRequest(name: string, headers: Record<string, string | string[] | undefined>): Span {
    const parent = propagator.extract(ROOT_CONTEXT, headers, {
      get: (carrier, key) => carrier[key],
      keys: (carrier) => Object.keys(carrier),
    });
    return this.tracer.startSpan(name, { kind: SpanKind.SERVER }, parent);
  }

  /** Sends what is still buffered, then stops. */
  async stop(): Promise<void> {
    await this.provider.shutdown();
  }
}

/** Ends a request's span with its outcome. */
export function endRequestSpan(span: Span, status: number, errorCode?: string | null): void {
  span.setAttribute('http.response.status_code', status);
  if (errorCode) span.setAttribute('graphql.error.code', errorCode);
  if (status >= 500 || errorCode === 'INTERNAL_SERVER_ERROR') span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/** `traceparent` (and `tracestate`) naming `span`, for a call made on its behalf. */
export function traceHeaders(span: Span | undefined): Record<string, string> {
  if (!span) return {};
  const headers: Record<string, string> = {};
  propagator.inject(trace.setSpan(ROOT_CONTEXT, span), headers, {
    set: (carrier, key, value) => (carrier[key] = value),
  });
  return headers;
}

