import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Browser } from 'playwright-core';
import { launchChromium } from './helpers/browser';
import { ROOT_EMAIL, ROOT_PASSWORD, startTestPlatform, TestPlatform } from './helpers/platform';
import { rawRequest, RawResponse } from './helpers/raw-http';

/**
 * Issue 10, item 8: the gateway reflected every Origin with Access-Control-Allow-Credentials,
 * so any web page could read the API with a visitor's credentials. Now only the origins in
 * CORS_ORIGINS get CORS headers; by default none does. The screen page's CSP lets it connect
 * to its own origin only.
 */
const OTHER = 'https://evil.example';
const QUERY = JSON.stringify({ query: '{ me { email } }' });

/** A preflight as a browser sends it before a POST with a bearer token. */
const preflight = (t: TestPlatform, origin: string) =>
  rawRequest(t.platform.gateway.url, {
    method: 'OPTIONS',
    path: '/graphql',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
  });

/** The request itself; `token` adds the bearer, `cookie` a cookie (credentials either way). */
const post = (t: TestPlatform, origin: string, credentials: { token?: string; cookie?: boolean } = {}) =>
  rawRequest(t.platform.gateway.url, {
    method: 'POST',
    path: '/graphql',
    headers: {
      origin,
      'content-type': 'application/json',
      ...(credentials.token ? { authorization: `Bearer ${credentials.token}` } : {}),
      ...(credentials.cookie ? { cookie: 'session=anything' } : {}),
    },
    body: QUERY,
  });

function expectNoCors(res: RawResponse) {
  expect(res.headers['access-control-allow-origin']).toBeUndefined();
  expect(res.headers['access-control-allow-credentials']).toBeUndefined();
}

let rootToken: string;
async function signInRoot(t: TestPlatform): Promise<string> {
  const res = await rawRequest(t.platform.gateway.url, {
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `mutation { signIn(email: "${ROOT_EMAIL}", password: "${ROOT_PASSWORD}") { token } }` }),
  });
  return res.json.data.signIn.token;
}

describe('CORS_ORIGINS unset: no origin is reflected', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform('corsnone');
    rootToken = await signInRoot(t);
  }, 120000);
  afterAll(() => t?.stop());

  it.each([OTHER, 'http://localhost:3000', 'null'])('a preflight from %s gets no CORS headers', async (origin) => {
    const res = await preflight(t, origin);
    expect(res.status).toBeLessThan(500);
    expectNoCors(res);
  });

  it.each([
    ['without credentials', {}],
    ['with a bearer token', { token: 'root' }],
    ['with a cookie', { cookie: true }],
  ])('a POST from another origin %s gets no CORS headers (the browser keeps the answer from the page)', async (_case, credentials: { token?: string; cookie?: boolean }) => {
    const res = await post(t, OTHER, { ...credentials, token: credentials.token ? rootToken : undefined });
    expect(res.json).not.toBeNull(); // the server answers; the missing headers are what stop the browser
    expectNoCors(res);
  });

  it("the screen page lets its script connect to its own origin only (CSP connect-src 'self', no ws: or wss: wildcard)", async () => {
    const res = await rawRequest(t.platform.gateway.url, { path: '/screen/assets/app.js' });
    const csp = String(res.headers['content-security-policy']);
    const connect = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('connect-src'));
    expect(connect).toBe("connect-src 'self'");
  });
});

describe('CORS_ORIGINS set: exactly those origins', () => {
  let t: TestPlatform;
  let browser: Browser;
  // two pages on two origins, one allowed: a real browser enforces what the headers say
  const pages: http.Server[] = [];
  let allowedPage = '';
  let otherPage = '';
  const ALLOWED = 'https://app.example';

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>client</title>'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      pages.push(server);
    }
    [allowedPage, otherPage] = pages.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`);
    t = await startTestPlatform('corslist', { CORS_ORIGINS: `${ALLOWED}, ${allowedPage}` });
    rootToken = await signInRoot(t);
    browser = await launchChromium();
  }, 120000);
  afterAll(async () => {
    await browser?.close();
    await Promise.all(pages.map((s) => new Promise((resolve) => s.close(resolve))));
    await t?.stop();
  });

  it('answers a preflight from an allowed origin with that origin, credentials, and the headers a client sends', async () => {
    const res = await preflight(t, ALLOWED);
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(String(res.headers['access-control-allow-methods']).split(/,\s*/)).toEqual(expect.arrayContaining(['GET', 'POST']));
    expect(String(res.headers['access-control-allow-headers']).toLowerCase().split(/,\s*/)).toEqual(expect.arrayContaining(['authorization', 'content-type']));
  });

  it.each([
    ['without credentials', {}],
    ['with a bearer token', { token: 'root' }],
    ['with a cookie', { cookie: true }],
  ])('answers a POST from an allowed origin %s with that origin', async (_case, credentials: { token?: string; cookie?: boolean }) => {
    const res = await post(t, ALLOWED, { ...credentials, token: credentials.token ? rootToken : undefined });
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    if (credentials.token) expect(res.json.data.me.email).toBe(ROOT_EMAIL);
  });

  it.each([OTHER, 'null', 'https://app.example.evil.example', 'http://app.example', 'https://app.example:8443'])(
    'gives %s no CORS headers, preflight or POST',
    async (origin) => {
      expectNoCors(await preflight(t, origin));
      expectNoCors(await post(t, origin, { token: rootToken }));
    },
  );

  it('lets a browser page on an allowed origin read the API with a token, and keeps it from a page on another origin', async () => {
    const read = async (pageUrl: string) => {
      const page = await browser.newPage();
      try {
        await page.goto(pageUrl);
        return await page.evaluate(
          async ({ url, token, body }) => {
            try {
              const res = await fetch(url, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
              return JSON.stringify(await res.json());
            } catch (err) {
              return `refused: ${(err as Error).name}`;
            }
          },
          { url: t.platform.gateway.url, token: rootToken, body: QUERY },
        );
      } finally {
        await page.close();
      }
    };
    expect(JSON.parse(await read(allowedPage))).toEqual({ data: { me: { email: ROOT_EMAIL } } });
    expect(await read(otherPage)).toBe('refused: TypeError');
  });
});
