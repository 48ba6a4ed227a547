import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { childEnv, ENTRY, freePort, spawnNode, Spawned } from './helpers/spawned';

/**
 * Issue 15 item 4, with the real processes (org and the gateway, each its own process, at
 * LOG_LEVEL=debug, the most they ever print): sign-ins with the password inline and as a
 * variable, with org up, answering an error, then down; an operation with the token to a
 * subgraph that answers 500. Nothing either process writes, on stdout or stderr, carries a
 * password or the token; every line is one JSON object (time, level, service, msg); the
 * request id is accepted when well-formed, replaced when not, echoed, forwarded to the
 * subgraph and written on the gateway's lines about that request.
 */
const ROOT_EMAIL = 'root@cascade.test';
const ROOT_PASSWORD = 'Root-pw-never-logged-7d1e';
const WRONG_PASSWORD = 'Wrong-pw-never-logged-42ab';
const INLINE_PASSWORD = 'Inline-pw-never-logged-9c3f';
const VARIABLE_PASSWORD = 'Variable-pw-never-logged-5e8d';
const SECRETS = { JWT_SECRET: 'jwt-secret-for-logs-test-0123456789', INTERNAL_SECRET: 'internal-secret-for-logs-test-0123456789' };

let dataDir: string;
let org: Spawned;
let gateway: Spawned;
let gatewayUrl: string;
/** A campaigns subgraph that fails: it records what reached it and answers 500 with an HTML page. */
let failing: http.Server;
const reachedFailing: http.IncomingHttpHeaders[] = [];

async function post(body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, requestId: res.headers.get('x-request-id'), body: (await res.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] } };
}

const signIn = (password: string, requestId?: string) =>
  post(
    { query: 'mutation S($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }', variables: { e: ROOT_EMAIL, p: password } },
    requestId ? { 'x-request-id': requestId } : {},
  );

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'cascade-logs-'));
  failing = http.createServer((req, res) => {
    reachedFailing.push(req.headers);
    req.resume();
    res.writeHead(500, { 'content-type': 'text/html' }).end('<html>boom</html>');
  });
  await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
  const orgPort = await freePort();
  const common = { ...SECRETS, DATA_DIR: dataDir, LOG_LEVEL: 'debug', ROOT_ADMIN_EMAIL: ROOT_EMAIL, ROOT_ADMIN_PASSWORD: ROOT_PASSWORD };
  org = spawnNode(ENTRY.org, childEnv({ ...common, PORT: String(orgPort) }));
  await org.waitFor(/org subgraph listening/);
  gateway = spawnNode(
    ENTRY.gateway,
    childEnv({
      ...common,
      PORT: String(await freePort()),
      ORG_URL: `http://127.0.0.1:${orgPort}/graphql`,
      CAMPAIGNS_URL: `http://127.0.0.1:${(failing.address() as AddressInfo).port}/graphql`,
    }),
  );
  await gateway.waitFor(/gateway listening/);
  gatewayUrl = /"url":"([^"]+)"/.exec(gateway.stdout())![1];
}, 240_000);

afterAll(async () => {
  for (const p of [gateway, org]) if (p && p.child.exitCode === null) p.child.kill('SIGTERM');
  await Promise.all([gateway?.exited, org?.exited]);
  failing?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Every line both processes wrote, parsed (a line that is not one JSON object fails the test). */
function logLines(): Record<string, unknown>[] {
  return [org, gateway].flatMap((p) =>
    (p.stdout() + p.stderr())
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => {
        try {
          return JSON.parse(line) as Record<string, unknown>;
        } catch {
          throw new Error(`not a JSON line: ${line}`);
        }
      }),
  );
}

it('sign-ins and operations while org answers, errs and is down: no password or token in any output; request ids on the lines and hops', async () => {
  const ok = await signIn(ROOT_PASSWORD, 'signin-1');
  const token: string = ok.body.data!.signIn.token;
  expect(token).toBeTruthy();
  expect(ok.requestId).toBe('signin-1');

  // org answers an error (a wrong password)
  expect((await signIn(WRONG_PASSWORD)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

  // an operation with the token to a subgraph that answers 500: logged by the gateway, under its request id
  const failed = await post({ query: 'query Failing { campaigns { edges { node { id } } } }' }, { authorization: `Bearer ${token}`, 'x-request-id': 'to-failing-1' });
  expect(failed.body.errors?.length).toBeGreaterThan(0);
  expect(failed.requestId).toBe('to-failing-1');
  expect(reachedFailing.some((h) => h['x-request-id'] === 'to-failing-1')).toBe(true);
  expect(reachedFailing.every((h) => !JSON.stringify(h).includes(token))).toBe(true);

  // a request id that is too long or has unsafe characters is replaced, never echoed or forwarded
  for (const hostile of ['x'.repeat(129), 'a b', 'id"with{quotes}', 'é']) {
    const answer = await post({ query: 'query Failing { campaigns { edges { node { id } } } }' }, { authorization: `Bearer ${token}`, 'x-request-id': hostile });
    expect(answer.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(reachedFailing.at(-1)!['x-request-id']).toBe(answer.requestId);
  }
  // none sent: one is made
  expect((await post({ query: '{ __typename }' })).requestId).toMatch(/^[0-9a-f-]{36}$/);

  // org down: the password inline and as a variable
  org.child.kill('SIGTERM');
  await org.exited;
  const inline = await post({ query: `mutation { signIn(email: "${ROOT_EMAIL}", password: "${INLINE_PASSWORD}") { token } }` }, { 'x-request-id': 'org-down-inline' });
  expect(inline.body.errors?.length).toBeGreaterThan(0);
  const variable = await signIn(VARIABLE_PASSWORD, 'org-down-variable');
  expect(variable.body.errors?.length).toBeGreaterThan(0);

  // the gateway logged each failure, as one JSON line naming its request
  await gateway.waitFor(/"requestId":"org-down-variable"/);
  const lines = logLines();
  for (const id of ['to-failing-1', 'org-down-inline', 'org-down-variable']) {
    expect(lines.some((l) => l.service === 'gateway' && l.requestId === id && l.level === 'error')).toBe(true);
  }
  for (const line of lines) {
    expect(typeof line.time).toBe('string');
    expect(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).toContain(line.level);
    expect(['org', 'gateway']).toContain(line.service);
    expect(typeof line.msg).toBe('string');
  }

  // and nothing anywhere carries a secret
  const everything = [org, gateway].map((p) => p.stdout() + p.stderr()).join('\n');
  for (const secret of [ROOT_PASSWORD, WRONG_PASSWORD, INLINE_PASSWORD, VARIABLE_PASSWORD, token, token.split('.')[2], SECRETS.JWT_SECRET, SECRETS.INTERNAL_SECRET]) {
    expect(everything).not.toContain(secret);
  }
}, 240_000);
