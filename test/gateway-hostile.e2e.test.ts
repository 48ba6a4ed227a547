import WebSocket from 'ws';
import { startTestPlatform, TestPlatform } from './helpers/platform';
import { rawRequest } from './helpers/raw-http';
import { rawSocket } from './helpers/ws';

/**
 * Issue 9: hostile paths, bodies and frames at the gateway answer 4xx and the process lives on.
 * Each case checks afterwards that the gateway still answers a signed-in query.
 */
let t: TestPlatform;
let base: string;
beforeAll(async () => {
  t = await startTestPlatform('gwhostile');
  base = t.platform.gateway.url.replace(/\/graphql$/, '');
});
afterAll(async () => {
  await t?.stop();
});

async function stillServing() {
  const me = await t.root.request('{ me { email } }');
  expect(me.data?.me?.email).toBeTruthy();
}

describe('screen routes', () => {
  it.each([
    '/screen/%E0%A4%A', // malformed escape
    '/screen/%',
    '/screen/assets/constructor', // names on Object.prototype
    '/screen/assets/__proto__',
    '/screen/assets/toString',
    '/screen/assets/hasOwnProperty',
    '/screen/assets/%2e%2e%2fpackage.json',
    '/screen/assets/../../package.json',
    '/screen/%00',
    '/screen/' + 'a'.repeat(8000),
  ])('GET %#: a hostile screen path answers 4xx', async (path) => {
    const res = await rawRequest(base, { path });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.text).not.toContain('"name": "cascade"');
    await stillServing();
  });

  it('still serves its real assets', async () => {
    const res = await rawRequest(base, { path: '/screen/assets/screen.css' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/css/);
  });
});

describe('request bodies on every route to the runtime', () => {
  const oversized = () => JSON.stringify({ query: `{ me { email } } # ${'x'.repeat(t.config.MAX_BODY_BYTES + 10)}` });

  it.each(['/graphql/', '//graphql', '/./graphql', '/graphql/.', '/x/../graphql', '/GRAPHQL', '/graphql%2f', '/graphql;x', '/%67raphql'])(
    'POST %s with a body over the limit never reaches the runtime',
    async (path) => {
      const res = await rawRequest(base, { method: 'POST', path, headers: { 'content-type': 'application/json', authorization: `Bearer ${t.root.token}` }, body: oversized() });
      expect([400, 404, 413]).toContain(res.status);
      expect(res.json?.errors?.[0]?.extensions?.code).toMatch(/^(BAD_REQUEST|BAD_USER_INPUT|NOT_FOUND)$/);
      expect(res.text).not.toContain('root@');
      await stillServing();
    },
  );

  it('refuses a chunked body over the limit', async () => {
    const res = await rawRequest(base, { method: 'POST', path: '/graphql', chunked: true, headers: { 'content-type': 'application/json', authorization: `Bearer ${t.root.token}` }, body: oversized() });
    expect(res.status).toBe(413);
    expect(res.json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    await stillServing();
  });

  it('accepts a chunked body within the limit', async () => {
    const body = JSON.stringify({ query: `{ me { email } } # ${'x'.repeat(100_000)}` });
    const res = await rawRequest(base, { method: 'POST', path: '/graphql', chunked: true, headers: { 'content-type': 'application/json', authorization: `Bearer ${t.root.token}` }, body });
    expect(res.status).toBe(200);
    expect(res.json.data.me.email).toBeTruthy();
  });

  it('answers 404 with a code for paths it does not serve', async () => {
    for (const path of ['/', '/graphiql', '/favicon.ico', '/graphql/', '/healthz/x']) {
      const res = await rawRequest(base, { path });
      expect(res.status).toBe(404);
      expect(res.json.errors[0].extensions.code).toBe('NOT_FOUND');
    }
    for (const path of ['/metrics/../graphql', '/healthz/../graphql', '//healthz', '/a/%2e%2e/graphql']) {
      const res = await rawRequest(base, { path });
      expect(res.status).toBe(400);
      expect(res.json.errors[0].extensions.code).toBe('BAD_REQUEST');
    }
    // not even a path: Node's HTTP parser answers 400 itself
    expect((await rawRequest(base, { path: 'graphql' })).status).toBe(400);
    await stillServing();
  });
});

describe('media routes forward only uploads and downloads', () => {
  it.each([
    '/media/../graphql',
    '/media/../healthz',
    '/media/%2e%2e/healthz',
    '/media/%2E%2E/graphql',
    '/media/upload/../../healthz',
    '/media/download/..%2f..%2fhealthz',
    '/media/./healthz',
    '/media//healthz',
    '/media/healthz',
    '/media/graphql',
    '/media/upload/',
    '/media/download',
    '/media/upload/a/b',
    '/media/upload/a\\..\\..\\healthz',
  ])('GET and POST %s answer 4xx without reaching the media service', async (path) => {
    for (const method of ['GET', 'POST', 'PUT']) {
      const res = await rawRequest(base, { method, path, headers: { 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{"query":"{ _service { sdl } }"}' });
      expect([400, 404, 405]).toContain(res.status);
      expect(res.text).not.toMatch(/"service":\s*"media"|_service|sdl/);
    }
    await stillServing();
  });
});

describe('the reports route forwards only token-shaped downloads', () => {
  it.each([
    '/reports/../graphql',
    '/reports/download/../../healthz',
    '/reports/download/%2e%2e/graphql',
    '/reports/healthz',
    '/reports/graphql',
    '/reports/download/',
    '/reports/download/a',
    '/reports/download/a.b/c',
    '/reports/download/a.b.c',
  ])('GET and POST %s answer 4xx without reaching the reports service', async (path) => {
    for (const method of ['GET', 'POST', 'PUT']) {
      const res = await rawRequest(base, { method, path, headers: { 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{"query":"{ _service { sdl } }"}' });
      expect([400, 404, 405]).toContain(res.status);
      expect(res.text).not.toMatch(/"service":\s*"reports"|_service|sdl/);
    }
    await stillServing();
  });
});

describe('WebSocket frames', () => {
  it('closes a socket with 1009 when a frame passes MAX_BODY_BYTES, before sign-in', async () => {
    const raw = await rawSocket(t.platform.gateway.url);
    raw.send({ type: 'connection_init', payload: { pad: 'x'.repeat(t.config.MAX_BODY_BYTES + 1) } });
    expect((await raw.closed).code).toBe(1009);
    await stillServing();
  });

  it('closes a signed-in socket with 1009 for an oversized subscribe frame', async () => {
    const raw = await rawSocket(t.platform.gateway.url);
    raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${t.root.token}` } });
    while (!raw.messages.some((m) => m.type === 'connection_ack')) await new Promise((r) => setTimeout(r, 10));
    raw.send({ id: '1', type: 'subscribe', payload: { query: `subscription { feedEntryAdded(activityId: "1") { id } } # ${'x'.repeat(t.config.MAX_BODY_BYTES)}` } });
    expect((await raw.closed).code).toBe(1009);
  });

  it('accepts a frame within the limit', async () => {
    const raw = await rawSocket(t.platform.gateway.url);
    raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${t.root.token}`, pad: 'x'.repeat(1000) } });
    while (!raw.messages.some((m) => m.type === 'connection_ack')) await new Promise((r) => setTimeout(r, 10));
    raw.ws.close(1000);
  });

  it.each(['connection_ack', 'next', 'error'])('closes with 4400 (not 4500) when a client sends the server-only type %s', async (type) => {
    const raw = await rawSocket(t.platform.gateway.url);
    raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${t.root.token}` } });
    while (!raw.messages.some((m) => m.type === 'connection_ack')) await new Promise((r) => setTimeout(r, 10));
    raw.send({ id: '1', type, payload: {} });
    expect((await raw.closed).code).toBe(4400);
    await stillServing();
  });

  it('caps sockets per address that have not signed in', async () => {
    const waiting: WebSocket[] = [];
    let refused = 0;
    // open unauthenticated sockets until the gateway refuses the upgrade
    for (let i = 0; i < 100 && refused === 0; i++) {
      const ws = new WebSocket(t.platform.gateway.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
      const outcome = await new Promise<'open' | number>((resolve) => {
        ws.once('open', () => resolve('open'));
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.once('error', () => resolve(0));
      });
      if (outcome === 'open') waiting.push(ws);
      else {
        expect(outcome).toBe(429);
        refused++;
      }
    }
    expect(refused).toBe(1);
    expect(waiting.length).toBeGreaterThanOrEqual(5);
    expect(waiting.length).toBeLessThan(100);
    // signing in one of them frees a place
    waiting[0].send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${t.root.token}` } }));
    await new Promise<void>((resolve) => waiting[0].on('message', (data) => JSON.parse(String(data)).type === 'connection_ack' && resolve()));
    const again = await rawSocket(t.platform.gateway.url);
    again.ws.close();
    for (const ws of waiting) ws.terminate();
    await stillServing();
  });
});
