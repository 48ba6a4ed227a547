import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { childEnv, ENTRY, spawnNode, Spawned } from './helpers/spawned';

/**
 * Issue 15 item 5, traces: Cascade started as `npm start` runs it (one real process), with
 * OTEL_EXPORTER_OTLP_ENDPOINT pointing at a tiny OTLP/HTTP receiver in this test. One sign-in
 * through the gateway arrives as one trace holding the gateway's spans (Hive Gateway's
 * OpenTelemetry plugin) and org's span, a child of the gateway's fetch (traceparent), with the
 * request id on it; the password written inline is not in anything exported.
 */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: { key: string; value: Record<string, unknown> }[];
}
interface Received {
  service: string;
  span: OtlpSpan;
}

const PASSWORD = 'Root-pw-never-exported-4f2a';
let receiver: http.Server;
const received: Received[] = [];
let rawBodies = '';
let cascade: Spawned;
let dataDir: string;

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      rawBodies += body;
      if (req.url === '/v1/traces' && /json/.test(req.headers['content-type'] ?? '')) {
        const payload = JSON.parse(body) as { resourceSpans: { resource: { attributes: OtlpSpan['attributes'] }; scopeSpans: { spans: OtlpSpan[] }[] }[] };
        for (const rs of payload.resourceSpans) {
          const service = String(rs.resource.attributes?.find((a) => a.key === 'service.name')?.value.stringValue);
          for (const ss of rs.scopeSpans) for (const span of ss.spans) received.push({ service, span });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'cascade-traces-'));
  cascade = spawnNode(
    ENTRY.embedded,
    childEnv({
      PORT: '0',
      SUBGRAPH_PORTS: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ROOT_ADMIN_EMAIL: 'root@cascade.test',
      ROOT_ADMIN_PASSWORD: PASSWORD,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    }),
  );
  await cascade.waitFor(/GraphQL endpoint\s+\S+/);
}, 240_000);

afterAll(async () => {
  if (cascade && cascade.child.exitCode === null) cascade.child.kill('SIGTERM');
  await cascade?.exited;
  receiver?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes?.find((a) => a.key === key)?.value;
  return value && Object.values(value)[0];
};

it('a sign-in through the gateway is one trace with the gateway and org spans, org a child of the gateway fetch', async () => {
  const url = /GraphQL endpoint\s+(\S+)/.exec(cascade.stdout())![1];
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': 'traced-signin-1' },
    body: JSON.stringify({ query: `mutation TracedSignIn { signIn(email: "root@cascade.test", password: "${PASSWORD}") { token } }` }),
  });
  const body = (await res.json()) as { data: { signIn: { token: string } } };
  expect(body.data.signIn.token).toBeTruthy();

  // wait for org's span of this request (the batch processor sends every 100 ms)
  const started = Date.now();
  let org: Received | undefined;
  while (!(org = received.find((r) => r.service === 'cascade-org' && attribute(r.span, 'cascade.request_id') === 'traced-signin-1'))) {
    if (Date.now() - started > 30_000) throw new Error(`no org span; received: ${received.map((r) => `${r.service} ${r.span.name}`).join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const traceId = org.span.traceId;
  // the gateway's spans of the same trace arrive in their own batch: wait for the parent
  let parent: Received | undefined;
  while (!(parent = received.find((r) => r.span.spanId === org!.span.parentSpanId))) {
    if (Date.now() - started > 30_000) throw new Error(`org's parent span never arrived: ${received.map((r) => `${r.service} ${r.span.name} ${r.span.traceId}`).join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(parent.service).toBe('cascade-gateway');
  expect(parent.span.name).toBe('http.fetch');
  expect(parent.span.traceId).toBe(traceId);
  const gatewaySpans = received.filter((r) => r.service === 'cascade-gateway' && r.span.traceId === traceId);
  // the HTTP request, the GraphQL operation, the subgraph execution, the fetch
  expect(gatewaySpans.length).toBeGreaterThanOrEqual(3);
  expect(gatewaySpans.map((r) => r.span.name)).toEqual(expect.arrayContaining(['POST /graphql', 'graphql.operation TracedSignIn', 'subgraph.execute (org)', 'http.fetch']));
  expect(gatewaySpans.some((r) => attribute(r.span, 'hive.request.id') === 'traced-signin-1')).toBe(true);
  expect(attribute(org.span, 'graphql.operation.type')).toBe('mutation');

  // the document is exported with its literals blanked: no password, no token
  expect(rawBodies).toContain('signIn');
  expect(rawBodies).not.toContain(PASSWORD);
  expect(rawBodies).not.toContain(body.data.signIn.token);
}, 90_000);
