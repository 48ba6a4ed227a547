import { Claims, INTERNAL_CONTEXT_HEADER, signInternalContext, signSocketContext } from '@cascade/kernel';
import { createClient } from 'graphql-ws';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import WebSocket from 'ws';
import { codeOf, startTestPlatform, TestPlatform } from './helpers/platform';
import { buildTree, TreeKey, TreeNode } from './helpers/tree';
import { record } from './helpers/ws';

/**
 * Issue 10 item 7: a signed internal context captured between the gateway and a subgraph (a log
 * line, a proxy) replays nothing but its own request for 30 s; an upstream socket's context is
 * valid for a minute at most, not for the token's life; and a screen link's claim is held to its
 * target by the subgraphs themselves, not only by the gateway.
 */
let t: TestPlatform;
let n: Record<TreeKey, TreeNode>;
let activity: string; // cityA1's, the screen's target
let otherActivity: string; // also cityA1's: same scope, another target
let screenClaims: Claims;

const service = (name: string) => t.platform.services.find((s) => s.name === name)!;
const ACTIVITY = 'query($id: ID!) { activity(id: $id) { id title } }';
const INC = 'mutation($a: ID!, $by: Int!) { incrementStatistic(input: { activityId: $a, indicator: SIGNATURES, by: $by }) { value } }';
const STAT = 'subscription($a: ID!) { statisticChanged(activityId: $a) { id value } }';

/** Sends `body` (exactly these bytes) to a subgraph, around the gateway. */
async function direct(name: string, body: string, context: string | null) {
  const res = await fetch(service(name).url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(context ? { [INTERNAL_CONTEXT_HEADER]: context } : {}) },
    body,
  });
  return (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
}

/** A request signed for its own body, as the gateway signs it. */
function signed(name: string, claims: Claims, query: string, variables: Record<string, unknown> = {}) {
  const body = JSON.stringify({ query, variables });
  return direct(name, body, signInternalContext(claims, t.config.INTERNAL_SECRET!, body));
}

/** Signs any envelope with the internal secret, as the gateway signed before (no binding, long expiry). */
function signRaw(envelope: object) {
  const payload = Buffer.from(JSON.stringify(envelope)).toString('base64url');
  return `${payload}.${createHmac('sha256', t.config.INTERNAL_SECRET!).update(payload).digest('base64url')}`;
}

/** Records every internal context header (and body) a subgraph receives: what a log line or a proxy would see. */
function captureRequests(server: http.Server) {
  const seen: { context: string; body: string }[] = [];
  const listener = (req: http.IncomingMessage) => {
    const context = req.headers[INTERNAL_CONTEXT_HEADER];
    if (typeof context !== 'string') return;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => seen.push({ context, body: Buffer.concat(chunks).toString('utf8') }));
  };
  server.prependListener('request', listener);
  return { seen, stop: () => server.off('request', listener) };
}

/**
 * Records the connectionParams of graphql-ws sockets opened to a subgraph: the first text frame a
 * client sends (connection_init), unmasked by hand (client frames are masked, RFC 6455 5.3).
 */
function captureConnectionInits(server: http.Server) {
  const seen: Record<string, unknown>[] = [];
  const listener = (_req: http.IncomingMessage, socket: import('node:stream').Duplex) => {
    let buffered = Buffer.alloc(0);
    let done = false;
    socket.on('data', (chunk: Buffer) => {
      if (done) return;
      buffered = Buffer.concat([buffered, chunk]);
      let length = buffered[1] & 0x7f;
      let offset = 2;
      if (length === 126) [length, offset] = [buffered.readUInt16BE(2), 4];
      if (buffered.length < offset + 4 + length) return;
      const mask = buffered.subarray(offset, offset + 4);
      const payload = Buffer.from(buffered.subarray(offset + 4, offset + 4 + length).map((b, i) => b ^ mask[i % 4]));
      done = true;
      const message = JSON.parse(payload.toString('utf8'));
      if (message.type === 'connection_init') seen.push(message.payload ?? {});
    });
  };
  server.prependListener('upgrade', listener);
  return { seen, stop: () => server.off('upgrade', listener) };
}

/** A graphql-ws client straight to the feeds subgraph, opening with `context`. */
function feedsSocket(context: string) {
  return createClient({
    url: service('feeds').url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { [INTERNAL_CONTEXT_HEADER]: context },
    retryAttempts: 0,
    lazy: true,
  });
}

/** Whether a socket opened with `context` is accepted (connection_ack) or closed, and how. */
function openSocket(context: string): Promise<{ acked: boolean; code?: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(service('feeds').url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { [INTERNAL_CONTEXT_HEADER]: context } })));
    ws.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'connection_ack') {
        resolve({ acked: true });
        ws.close();
      }
    });
    ws.on('close', (code) => resolve({ acked: false, code }));
    ws.on('error', reject);
  });
}

async function statistic(id: string): Promise<number> {
  const r = await n.cityA1.admin.run('query($id: ID!) { activity(id: $id) { statistics { indicator value } } }', { id });
  return r.activity.statistics.find((s: { indicator: string }) => s.indicator === 'SIGNATURES')?.value ?? 0;
}

beforeAll(async () => {
  t = await startTestPlatform('intctx');
  n = await buildTree(t);
  const c = await n.cityA1.admin.run('mutation { createCampaign(input: { title: "宣传周", startsOn: "2024-04-20", endsOn: "2024-04-26" }) { id } }');
  const create = 'mutation($c: ID!, $t: String!) { createActivity(input: { campaignId: $c, title: $t, kind: OPENING_CEREMONY, startsAt: "2024-04-20T01:00:00Z" }) { id } }';
  activity = (await n.cityA1.admin.run(create, { c: c.createCampaign.id, t: '开幕式' })).createActivity.id;
  otherActivity = (await n.cityA1.admin.run(create, { c: c.createCampaign.id, t: '闭幕式' })).createActivity.id;
  await n.cityA1.admin.run(INC, { a: activity, by: 5 });
  await n.cityA1.admin.run(INC, { a: otherActivity, by: 7 });
  const link = await n.cityA1.admin.run('mutation($i: CreateScreenLinkInput!) { createScreenLink(input: $i) { id } }', { i: { activityId: activity } });
  const path = (await service('org').dataSource.query('SELECT tenant_path FROM tenants WHERE id = ?', [Number(n.cityA1.tenantId)]))[0].tenant_path;
  // exactly what feeds signs into a screen link's token (screen-service.ts screenClaims)
  screenClaims = {
    userId: `screen:${link.createScreenLink.id}`,
    tenantId: n.cityA1.tenantId,
    tenantPath: path,
    role: 'VIEWER',
    root: false,
    screen: { linkId: link.createScreenLink.id, activityId: activity, tenantId: null, campaignId: null },
  };
});
afterAll(() => t?.stop());

describe('a captured HTTP context replays nothing else', () => {
  it('the header the gateway sent with a query does not run a mutation sent straight to the subgraph', async () => {
    const capture = captureRequests(service('campaigns').server);
    try {
      expect((await n.cityA1.admin.run(ACTIVITY, { id: activity })).activity.title).toBe('开幕式');
    } finally {
      capture.stop();
    }
    const captured = capture.seen.find((s) => s.body.includes('activity'));
    expect(captured).toBeDefined();
    // the same request again is all it is good for (positive control: the capture is real and live)
    expect((await direct('campaigns', captured!.body, captured!.context)).data?.activity?.title).toBe('开幕式');
    const replay = await direct('campaigns', JSON.stringify({ query: INC, variables: { a: activity, by: 1000 } }), captured!.context);
    expect(codeOf(replay as any)).toBe('UNAUTHENTICATED');
    const otherQuery = await direct('campaigns', JSON.stringify({ query: ACTIVITY, variables: { id: otherActivity } }), captured!.context);
    expect(codeOf(otherQuery as any)).toBe('UNAUTHENTICATED');
    expect(await statistic(activity)).toBe(5);
  });

  it('the gateway signs each subgraph call for at most 30 s', async () => {
    const capture = captureRequests(service('org').server);
    try {
      await n.cityA1.admin.run('{ me { email } }');
    } finally {
      capture.stop();
    }
    const envelope = JSON.parse(Buffer.from(capture.seen[0].context.split('.')[0], 'base64url').toString());
    expect(envelope.exp - Date.now() / 1000).toBeLessThanOrEqual(30);
  });

  it('a context as the gateway signed it before (unbound, 60 s) is refused', async () => {
    const claims = { ...screenClaims, userId: '1', role: 'ADMIN', screen: null };
    const body = JSON.stringify({ query: ACTIVITY, variables: { id: activity } });
    const r = await direct('campaigns', body, signRaw({ ...claims, exp: Math.floor(Date.now() / 1000) + 60 }));
    expect(codeOf(r as any)).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(r)).not.toContain('开幕式');
  });
});

describe('upstream subscription sockets', () => {
  it('the gateway opens them with a context valid for a minute at most, and they still deliver', async () => {
    const capture = captureConnectionInits(service('feeds').server);
    const viewer = createClient({
      url: t.platform.gateway.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${n.cityA1.admin.token}` },
      retryAttempts: 0,
      lazy: true,
    });
    try {
      const before = await statistic(activity);
      const live = record(viewer, STAT, { a: activity });
      await live.until((events) => events.length >= 1, 10000);
      await n.cityA1.admin.run(INC, { a: activity, by: 1 });
      await live.until((events) => events.some((e) => e.statisticChanged.value === before + 1), 10000);
      live.stop();
    } finally {
      capture.stop();
      await viewer.dispose();
    }
    expect(capture.seen.length).toBeGreaterThanOrEqual(1);
    for (const params of capture.seen) {
      const envelope = JSON.parse(Buffer.from(String(params[INTERNAL_CONTEXT_HEADER]).split('.')[0], 'base64url').toString());
      expect(envelope.exp - Date.now() / 1000).toBeLessThanOrEqual(60);
    }
  });

  it('a socket context valid for the token’s life (as signed before), or an HTTP one, opens no socket', async () => {
    const claims = { ...screenClaims };
    const ninetyDays = Math.floor(Date.now() / 1000) + 90 * 86400;
    expect(await openSocket(signRaw({ ...claims, exp: ninetyDays }))).toEqual({ acked: false, code: 4403 });
    expect(await openSocket(signRaw({ ...claims, use: 'socket', exp: ninetyDays }))).toEqual({ acked: false, code: 4403 });
    const body = JSON.stringify({ query: STAT, variables: { a: activity } });
    expect(await openSocket(signInternalContext(claims, t.config.INTERNAL_SECRET!, body))).toEqual({ acked: false, code: 4403 });
    expect(await openSocket(signSocketContext(claims, t.config.INTERNAL_SECRET!))).toEqual({ acked: true });
  });
});

describe('a screen claim is held to its target by the subgraphs too', () => {
  it('reads its own activity, not another one of the same tenant', async () => {
    expect((await signed('campaigns', screenClaims, ACTIVITY, { id: activity })).data.activity.title).toBe('开幕式');
    const other = await signed('campaigns', screenClaims, ACTIVITY, { id: otherActivity });
    expect(codeOf(other as any)).toBe('FORBIDDEN');
    expect(JSON.stringify(other)).not.toContain('闭幕式');
    const list = await signed('campaigns', screenClaims, '{ campaigns(first: 5) { edges { node { title } } } }');
    expect(codeOf(list as any)).toBe('FORBIDDEN');
  });

  it('resolves entities of its own activity only, and only the fields a screen shows', async () => {
    const entities = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Activity { id title } } }';
    const own = await signed('campaigns', screenClaims, entities, { r: [{ __typename: 'Activity', id: activity }] });
    expect(own.data._entities).toEqual([{ id: activity, title: '开幕式' }]);
    const other = await signed('campaigns', screenClaims, entities, { r: [{ __typename: 'Activity', id: otherActivity }] });
    expect(codeOf(other as any)).toBe('FORBIDDEN');
    expect(JSON.stringify(other)).not.toContain('闭幕式');
    const assets = await signed('media', screenClaims, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Activity { assets { id } } } }', {
      r: [{ __typename: 'Activity', id: activity }],
    });
    expect(codeOf(assets as any)).toBe('FORBIDDEN');
    const people = await signed('org', screenClaims, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id } } }', {
      r: [{ __typename: 'Person', id: n.cityA1.personId }],
    });
    expect(codeOf(people as any)).toBe('FORBIDDEN');
  });

  it('runs no mutation in any subgraph', async () => {
    const before = await statistic(activity);
    const inc = await signed('campaigns', screenClaims, INC, { a: activity, by: 1000 });
    expect(codeOf(inc as any)).toBe('FORBIDDEN');
    const signIn = await signed('org', screenClaims, 'mutation { signIn(email: "nobody-screen@cascade.test", password: "wrong-password-123") { token } }');
    expect(codeOf(signIn as any)).toBe('FORBIDDEN');
    const post = await signed('feeds', screenClaims, 'mutation($a: ID!) { postFeedEntry(input: { activityId: $a, text: "x" }) { id } }', { a: activity });
    expect(codeOf(post as any)).toBe('FORBIDDEN');
    expect(await statistic(activity)).toBe(before);
  });

  it('subscribes over a subgraph socket to its own target only', async () => {
    const socket = feedsSocket(signSocketContext(screenClaims, t.config.INTERNAL_SECRET!));
    try {
      // feeds knows a statistic by id only (the gateway resolves its value in campaigns)
      const byId = 'subscription($a: ID!) { statisticChanged(activityId: $a) { id } }';
      const other = record(socket, byId, { a: otherActivity });
      const own = record(socket, byId, { a: activity });
      await n.cityA1.admin.run(INC, { a: otherActivity, by: 1 });
      await n.cityA1.admin.run(INC, { a: activity, by: 1 });
      // positive control: the own subscription delivers the event that came after the other's
      await own.until((events) => events.length >= 1, 10000);
      expect(other.events).toEqual([]);
      expect(other.errors[0]?.extensions?.code ?? other.errors[0]?.[0]?.extensions?.code).toBe('FORBIDDEN');
      own.stop();
    } finally {
      await socket.dispose();
    }
  });
});
