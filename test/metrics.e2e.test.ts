import { answerMetrics, registerOutboxLag, registerStreamLag } from '@cascade/kernel';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { GraphQLClient } from '@cascade/app';
import { PASSWORD, startTestPlatform, TestPlatform } from './helpers/platform';
import { record, wsClient } from './helpers/ws';

/**
 * Issue 15 item 5: Prometheus /metrics on the gateway and every subgraph, guarded by
 * METRICS_TOKEN; per-operation requests, errors and latency with bounded names; subgraph
 * fetches; sockets and subscriptions; group-commit batches; the event-lag hook; and the Grafana
 * dashboard names only metrics that are exported.
 */
const TOKEN = 'metrics-token-for-tests-0123456789';
let t: TestPlatform;
let gatewayMetrics: string;
let editor: GraphQLClient;
let activityId: string;

beforeAll(async () => {
  t = await startTestPlatform('metrics', { METRICS_TOKEN: TOKEN });
  gatewayMetrics = t.platform.gateway.url.replace(/\/graphql$/, '/metrics');
  const tenant = await t.root.run('mutation { createTenant(input: { name: "计量", level: PROVINCE }) { id } }');
  await t.root.run('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
    i: { tenantId: tenant.createTenant.id, email: 'admin@metrics.test', name: '管理员', password: PASSWORD, role: 'ADMIN' },
  });
  editor = await t.signIn('admin@metrics.test');
  const c = await editor.run('mutation { createCampaign(input: { title: "宣传周", startsOn: "2024-04-20", endsOn: "2024-04-26" }) { id } }');
  const a = await editor.run('mutation($c: ID!) { createActivity(input: { campaignId: $c, title: "签名", kind: SIGNATURE_DRIVE, startsAt: "2024-04-20T02:00:00Z" }) { id } }', { c: c.createCampaign.id });
  activityId = a.createActivity.id;
});
afterAll(() => t?.stop());

async function scrape(url = gatewayMetrics): Promise<string> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
}

/** The value of one series (labels given in their exported order), or undefined. */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** Polls the scrape until `check` holds (no fixed sleep; a bound only for a broken build). */
async function until(check: (text: string) => boolean, ms = 10_000): Promise<string> {
  const started = Date.now();
  for (;;) {
    const text = await scrape();
    if (check(text)) return text;
    if (Date.now() - started > ms) throw new Error(`metrics never matched:\n${text.split('\n').filter((l) => l.startsWith('cascade_')).join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('who reads /metrics', () => {
  it('the gateway answers 401 without the token or with another, 405 to a POST, 200 with it', async () => {
    expect((await fetch(gatewayMetrics)).status).toBe(401);
    expect((await fetch(gatewayMetrics, { headers: { authorization: 'Bearer metrics-token-for-tests-012345678X' } })).status).toBe(401);
    expect((await fetch(gatewayMetrics, { headers: { authorization: `Basic ${TOKEN}` } })).status).toBe(401);
    const refused = await fetch(gatewayMetrics, { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(((await refused.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await fetch(gatewayMetrics, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(405);
    expect(await scrape()).toContain('# TYPE cascade_graphql_operations_total counter');
  });

  it('every subgraph serves it on its own port, with the same rule', async () => {
    for (const service of t.platform.services) {
      const url = service.url.replace(/\/graphql$/, '/metrics');
      expect((await fetch(url)).status).toBe(401);
      expect(await scrape(url)).toContain('process_cpu_seconds_total');
    }
  });

  it('without METRICS_TOKEN, /metrics does not exist (404 like any unknown path)', async () => {
    const server = http.createServer((req, res) => void answerMetrics(req, res, undefined));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
      const res = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('cascade_');
    } finally {
      server.close();
    }
  });
});

describe('what it counts', () => {
  it('operations, errors and latency per operation name, at the gateway and in the subgraph that ran them', async () => {
    await t.root.run('query MetricsMe { me { email } }');
    await t.gql.request('query MetricsRefused { me { email } }'); // no token: UNAUTHENTICATED
    const text = await scrape();
    expect(valueOf(text, 'cascade_graphql_operations_total{service="gateway",operation="MetricsMe",type="query"}')).toBeGreaterThanOrEqual(1);
    expect(valueOf(text, 'cascade_graphql_operation_duration_seconds_count{service="gateway",operation="MetricsMe",type="query"}')).toBeGreaterThanOrEqual(1);
    expect(valueOf(text, 'cascade_graphql_operation_errors_total{service="gateway",operation="MetricsRefused",code="UNAUTHENTICATED"}')).toBe(1);
    expect(valueOf(text, 'cascade_graphql_operation_errors_total{service="gateway",operation="MetricsMe",code="UNAUTHENTICATED"}')).toBeUndefined();
    // the subgraph's own count, and the gateway's fetch to it
    expect(text).toMatch(/cascade_graphql_operations_total\{service="org",operation="[^"]+",type="query"\} \d+/);
    expect(valueOf(text, 'cascade_subgraph_fetch_duration_seconds_count{subgraph="org",outcome="ok"}')).toBeGreaterThanOrEqual(1);
  });

  it('hostile operation names cannot grow the series without bound: at most 100 names, then __other', async () => {
    for (let i = 0; i < 130; i++) await t.root.run(`query Flood${i} { __typename }`);
    await t.root.run('query { __typename }');
    await fetch(t.platform.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.root.token}` },
      body: JSON.stringify({ query: `query ${'x'.repeat(5000)} { __typename }` }),
    });
    const text = await scrape();
    const names = new Set([...text.matchAll(/cascade_graphql_operations_total\{service="gateway",operation="([^"]*)"/g)].map((m) => m[1]));
    expect(names.size).toBeLessThanOrEqual(102); // 100 names, __other, __anonymous
    expect(names.has('__other')).toBe(true);
    expect(names.has('__anonymous')).toBe(true);
    expect([...names].every((n) => n.length <= 64)).toBe(true);
  });

  it('open WebSockets and active subscriptions go up while a subscription streams and back down after', async () => {
    const before = valueOf(await scrape(), 'cascade_subscriptions_active{service="gateway"}') ?? 0;
    const client = wsClient(t.platform.gateway.url, editor.token!);
    const sub = record(client, 'subscription($a: ID!) { statisticChanged(activityId: $a) { value } }', { a: activityId });
    try {
      await until((text) => (valueOf(text, 'cascade_subscriptions_active{service="gateway"}') ?? 0) === before + 1);
      const text = await scrape();
      expect(valueOf(text, 'cascade_websockets_open{service="gateway"}')).toBeGreaterThanOrEqual(1);
      expect(valueOf(text, 'cascade_websockets_open{service="feeds"}')).toBeGreaterThanOrEqual(1);
    } finally {
      sub.stop();
    }
    await until((text) => (valueOf(text, 'cascade_subscriptions_active{service="gateway"}') ?? 0) === before);
    await client.dispose();
    await until((text) => (valueOf(text, 'cascade_websockets_open{service="gateway"}') ?? 0) === 0);
  });

  it('group-commit batch sizes: every increment is in one observed batch', async () => {
    const before = await scrape();
    const count = (text: string) => valueOf(text, 'cascade_group_commit_batch_size_count{service="campaigns"}') ?? 0;
    const sum = (text: string) => valueOf(text, 'cascade_group_commit_batch_size_sum{service="campaigns"}') ?? 0;
    const inc = 'mutation($a: ID!) { incrementStatistic(input: { activityId: $a, indicator: SIGNATURES, by: 1 }) { value } }';
    await Promise.all(Array.from({ length: 20 }, () => editor.run(inc, { a: activityId })));
    const after = await scrape();
    expect(sum(after) - sum(before)).toBe(20);
    expect(count(after) - count(before)).toBeGreaterThanOrEqual(1);
    expect(count(after) - count(before)).toBeLessThanOrEqual(20);
  });

  it('outbox and stream lag: what each registered source reads at scrape time, gone once it leaves, left out when it fails', async () => {
    // media's real outbox relay is registered in this platform
    expect(valueOf(await scrape(), 'cascade_outbox_unsent_events{service="media"}')).toBeGreaterThanOrEqual(0);
    const owner = {};
    const leaveOutbox = registerOutboxLag(owner, async () => ({ service: 'metricstest', unsent: 7, oldestSeconds: 3.5 }));
    const leaveStream = registerStreamLag(owner, async () => [{ topic: 'distribution.recorded', group: 'metricstest', pending: 2, undelivered: 5 }]);
    const leaveFailing = registerOutboxLag({}, () => Promise.reject(new Error('store down')));
    try {
      const text = await scrape();
      expect(valueOf(text, 'cascade_outbox_unsent_events{service="metricstest"}')).toBe(7);
      expect(valueOf(text, 'cascade_outbox_oldest_unsent_seconds{service="metricstest"}')).toBe(3.5);
      expect(valueOf(text, 'cascade_stream_pending_events{topic="distribution.recorded",group="metricstest"}')).toBe(2);
      expect(valueOf(text, 'cascade_stream_undelivered_events{topic="distribution.recorded",group="metricstest"}')).toBe(5);
    } finally {
      leaveOutbox();
      leaveStream();
      leaveFailing();
    }
    expect(await scrape()).not.toContain('metricstest');
  });
});

it('the Grafana dashboard is valid JSON and every metric it names is exported', async () => {
  const dashboard = JSON.parse(readFileSync(path.resolve(__dirname, '../infra/grafana/cascade-dashboard.json'), 'utf8'));
  const exprs: string[] = dashboard.panels.flatMap((p: { targets: { expr: string }[] }) => p.targets.map((target) => target.expr));
  expect(exprs.length).toBeGreaterThan(10);
  const exported = new Set([...(await scrape()).matchAll(/^# TYPE (\S+) (\S+)$/gm)].flatMap(([, name, type]) => (type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name])));
  const named = new Set(exprs.flatMap((e) => [...e.matchAll(/\b((?:cascade|process|nodejs)_[a-z0-9_]+)\b/g)].map((m) => m[1])));
  expect(named.size).toBeGreaterThan(10);
  for (const name of named) expect({ name, exported: exported.has(name) }).toEqual({ name, exported: true });
});
