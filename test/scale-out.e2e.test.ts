import { GraphQLClient } from '@cascade/app';
import Redis from 'ioredis';
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { startTestPlatform, TestPlatform } from './helpers/platform';
import { buildTree, TreeKey, TreeNode } from './helpers/tree';
import { record, wsClient } from './helpers/ws';

/**
 * Scale-out through the real Redis on this machine: gateway + feeds A in this process,
 * gateway + feeds B in a second OS process, one database, one Redis. An increment through A
 * reaches subscribers on B; after the Redis connections are killed and come back,
 * subscriptions resume and the next event arrives.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `cascade-test-${process.pid}-${Date.now()}`;
let a: TestPlatform;
let b: ChildProcess;
let bUrl: string;
let n: Record<TreeKey, TreeNode>;
let activityId: string;
const redis = new Redis(REDIS_URL);

beforeAll(async () => {
  a = await startTestPlatform('scale', { REDIS_URL, EVENT_CHANNEL_PREFIX: PREFIX });
  n = await buildTree(a);
  const c = await n.cityA1.admin.run('mutation { createCampaign(input: { title: "宣传周", startsOn: "2024-04-20", endsOn: "2024-04-26" }) { id } }');
  const act = await n.cityA1.admin.run('mutation($c: ID!) { createActivity(input: { campaignId: $c, title: "万人签名", kind: SIGNATURE_DRIVE, startsAt: "2024-04-20T02:00:00Z" }) { id } }', { c: c.createCampaign.id });
  activityId = act.createActivity.id;

  const env: Record<string, string> = {
    ...process.env as Record<string, string>,
    PORT: '0', SUBGRAPH_PORTS: '0', DEMO_DATA: 'false', LOG_LEVEL: 'warn',
    DATA_DIR: a.config.DATA_DIR, REDIS_URL, EVENT_CHANNEL_PREFIX: PREFIX,
    JWT_SECRET: a.config.JWT_SECRET!, INTERNAL_SECRET: a.config.INTERNAL_SECRET!,
    ROOT_ADMIN_EMAIL: a.config.ROOT_ADMIN_EMAIL, ROOT_ADMIN_PASSWORD: 'unused-password',
    DATABASE_URL: a.config.DATABASE_URL ?? '',
  };
  b = spawn(process.execPath, [path.resolve(__dirname, '../app/dist/embedded.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  bUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    b.stdout!.on('data', (d) => {
      out += String(d);
      const m = /GraphQL endpoint\s+(\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    b.stderr!.on('data', (d) => process.stderr.write(d));
    b.once('exit', (code) => reject(new Error(`process B exited ${code}: ${out}`)));
  });
});

afterAll(async () => {
  b?.kill('SIGTERM');
  await a?.stop();
  redis.disconnect();
});

async function busConnections() {
  const list = String(await redis.client('LIST'));
  return list.split('\n').filter((line) => line.includes(`name=${PREFIX}-bus`));
}

it('an increment through gateway A reaches a subscriber on gateway B, and resumes after Redis connections are killed', async () => {
  const onB = wsClient(bUrl, n.provA.admin.token);
  const viewer = record(onB, 'subscription($a: ID!) { statisticChanged(activityId: $a) { value activity { title } } }', { a: activityId });
  await new Promise((r) => setTimeout(r, 500)); // the first event is the (empty) current state
  const inc = (by: number) => n.cityA1.admin.run('mutation($a: ID!, $by: Int!) { incrementStatistic(input: { activityId: $a, indicator: SIGNATURES, by: $by }) { value } }', { a: activityId, by });
  expect(new GraphQLClient(bUrl).url).not.toBe(a.platform.gateway.url);

  const first = (await inc(5)).incrementStatistic.value;
  await viewer.until((e) => e.some((x) => x.statisticChanged.value === first), 10000);
  expect(viewer.events.at(-1).statisticChanged.activity.title).toBe('万人签名');

  // cut every bus connection of both processes (publishers and subscribers)
  const before = await busConnections();
  expect(before.length).toBeGreaterThanOrEqual(4);
  for (const line of before) await redis.client('KILL', 'ID', /id=(\d+)/.exec(line)![1]);
  const started = Date.now();
  while ((await busConnections()).length < before.length) {
    if (Date.now() - started > 10000) throw new Error('bus connections did not come back');
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 300)); // resubscribe after reconnect

  const second = (await inc(7)).incrementStatistic.value;
  expect(second).toBe(first + 7);
  await viewer.until((e) => e.some((x) => x.statisticChanged.value === second), 10000);
  viewer.stop();
  await onB.dispose();
});
