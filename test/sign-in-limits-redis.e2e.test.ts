import Redis from 'ioredis';
import { codeOf, PASSWORD, ROOT_EMAIL, ROOT_PASSWORD, startTestPlatform, TestPlatform } from './helpers/platform';
import { childEnv, ENTRY, Spawned, spawnNode } from './helpers/spawned';

/**
 * Issue 10, item 5, across replicas: with REDIS_URL set, every process counts signIn
 * failures in one Redis, so a guesser spreading attempts over gateways gets no more tries.
 * Platform A runs in this process, platform B in a second OS process (app/dist/embedded.js),
 * one database, one Redis (the real one on this machine), one key prefix.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `cascade-test-signin-${process.pid}-${Date.now()}`;
const SIGN_IN = 'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }';
const redis = new Redis(REDIS_URL);
let a: TestPlatform;
let b: Spawned;
let bUrl: string;

beforeAll(async () => {
  a = await startTestPlatform('signin_redis', { REDIS_URL, EVENT_CHANNEL_PREFIX: PREFIX, DEMO_DATA: 'false' });
  const nation = (await a.root.run('mutation { createTenant(input: { name: "全国", level: NATIONAL }) { id } }')).createTenant.id;
  await a.root.run('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
    i: { tenantId: nation, email: 'shared@limits.test', name: '用户', password: PASSWORD, role: 'VIEWER' },
  });
  b = spawnNode(
    ENTRY.embedded,
    childEnv({
      PORT: '0', SUBGRAPH_PORTS: '0', LOG_LEVEL: 'warn', DATA_DIR: a.config.DATA_DIR, DATABASE_URL: a.config.DATABASE_URL ?? '',
      REDIS_URL, EVENT_CHANNEL_PREFIX: PREFIX, JWT_SECRET: a.config.JWT_SECRET!, INTERNAL_SECRET: a.config.INTERNAL_SECRET!,
      ROOT_ADMIN_EMAIL: ROOT_EMAIL, ROOT_ADMIN_PASSWORD: ROOT_PASSWORD,
    }),
  );
  await b.waitFor(/GraphQL endpoint\s+\S+/);
  bUrl = /GraphQL endpoint\s+(\S+)/.exec(b.stdout())![1];
}, 120_000);

afterAll(async () => {
  b?.child.kill('SIGTERM');
  await b?.exited;
  await a?.stop();
  const keys = await redis.keys(`${PREFIX}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

async function signIn(url: string, email: string, password: string) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: SIGN_IN, variables: { e: email, p: password } }) });
  return codeOf((await res.json()) as any);
}

it('5 failures through gateway A and 5 through gateway B add up: the right root password is then refused on both', async () => {
  const urlA = a.platform.gateway.url;
  for (let i = 0; i < 5; i++) expect(await signIn(urlA, ROOT_EMAIL, `wrong-password-${i}`)).toBe('UNAUTHENTICATED');
  for (let i = 5; i < 10; i++) expect(await signIn(bUrl, ROOT_EMAIL, `wrong-password-${i}`)).toBe('UNAUTHENTICATED');
  expect(await signIn(urlA, ROOT_EMAIL, ROOT_PASSWORD)).toBe('RATE_LIMITED');
  expect(await signIn(bUrl, ROOT_EMAIL, ROOT_PASSWORD)).toBe('RATE_LIMITED');
});

it('a success through one gateway resets the count the other sees', async () => {
  const urlA = a.platform.gateway.url;
  for (let i = 0; i < 9; i++) expect(await signIn(urlA, 'shared@limits.test', `wrong-password-${i}`)).toBe('UNAUTHENTICATED');
  expect(await signIn(bUrl, 'shared@limits.test', PASSWORD)).toBe('NONE');
  for (let i = 0; i < 9; i++) expect(await signIn(bUrl, 'shared@limits.test', `wrong-password-${i}`)).toBe('UNAUTHENTICATED');
  expect(await signIn(urlA, 'shared@limits.test', PASSWORD)).toBe('NONE');
});

it('keeps no email in Redis: the counts are keyed by a hash of it, under the deployment prefix', async () => {
  const keys = await redis.keys(`${PREFIX}*`);
  expect(keys.length).toBeGreaterThan(0);
  for (const key of keys) expect(key).not.toMatch(/@|limits\.test|cascade\.test/);
});
