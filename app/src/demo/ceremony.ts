import { GraphQLClient } from '../client';
import { LIVE_TITLE } from './live-demo';
import { DEMO_PASSWORD } from './org-demo';

/**
 * `npm run demo:ceremony`: a short simulated 万人签名 on the demo's live signature drive
 * (live-demo.ts, 第八师石河子市, target 10000), played as the venue's editor, with its screen
 * link. The documents' own ceremony (2024) is closed with its summary sent up: it takes no
 * statistics any more, so the live drive is an activity of a campaign still in progress.
 */
export const VENUE_EDITOR = 'editor@bashi.demo';

interface LiveActivity {
  id: string;
  title: string;
}

/** The signature drive of one of the caller's campaigns that still takes statistics (not CLOSED, no report sent up). */
export async function findLiveSignatureDrive(client: GraphQLClient): Promise<LiveActivity | null> {
  const me = await client.run<{ me: { tenant: { id: string } } }>('{ me { tenant { id } } }');
  const data = await client.run(
    'query($t: ID) { campaigns(tenantId: $t, first: 100) { edges { node { status report { status } activities { id title kind } } } } }',
    { t: me.me.tenant.id },
  );
  const open = data.campaigns.edges
    .map((edge: { node: any }) => edge.node)
    .filter((c: any) => c.status !== 'CLOSED' && !['SUBMITTED', 'ACCEPTED'].includes(c.report?.status));
  const drives: LiveActivity[] = open.flatMap((c: any) => c.activities.filter((a: { kind: string }) => a.kind === 'SIGNATURE_DRIVE'));
  return drives.find((a) => a.title === LIVE_TITLE) ?? drives[0] ?? null;
}

export async function createLiveScreenLink(gatewayUrl: string): Promise<string | null> {
  const editor = await new GraphQLClient(gatewayUrl).signIn(VENUE_EDITOR, DEMO_PASSWORD);
  const drive = await findLiveSignatureDrive(editor);
  if (!drive) return null;
  const expiresAt = new Date(Date.now() + 89 * 24 * 3600 * 1000).toISOString();
  const link = await editor.run('mutation($a: ID!, $e: DateTime) { createScreenLink(input: { activityId: $a, expiresAt: $e }) { url } }', { a: drive.id, e: expiresAt });
  return link.createScreenLink.url as string;
}

const POSTS = [
  '万人签名活动开始，师市领导带头签名',
  '“保护知识产权，促进创新发展”签名墙前排起长队',
  '知识产权局工作人员现场解答群众咨询',
  '展板前观众络绎不绝',
  '发放宣传海报、宣传单',
  '中小学生代表参加签名',
  '企业代表签署诚信经营承诺书',
  '签名人数持续增长',
  '签名活动继续进行，欢迎市民参加',
];

const NO_DRIVE = 'No live signature drive in the demo data: start Cascade with DEMO_DATA=true on a fresh DATA_DIR';

/** A few hundred increments and a feed post every few seconds, over `seconds`. */
export async function playSignatureDrive(gatewayUrl: string, seconds = 60, log: (line: string) => void = () => undefined) {
  // the same few documents hundreds of times: each is sent by its hash (persisted queries)
  const editor = await new GraphQLClient(gatewayUrl, null, { persisted: true }).signIn(VENUE_EDITOR, DEMO_PASSWORD);
  const drive = await findLiveSignatureDrive(editor);
  if (!drive) throw new Error(NO_DRIVE);
  const inc = (indicator: string, by: number) =>
    editor.run('mutation($a: ID!, $i: Indicator!, $by: Int!, $k: String) { incrementStatistic(input: { activityId: $a, indicator: $i, by: $by, idempotencyKey: $k }) { value } }', {
      a: drive.id, i: indicator, by, k: `ceremony-${Date.now()}-${Math.random()}`,
    });
  const started = Date.now();
  let tick = 0;
  while (Date.now() - started < seconds * 1000) {
    const signatures = await inc('SIGNATURES', 1 + Math.floor(Math.random() * 12));
    if (tick % 4 === 0) await inc('PARTICIPANTS', 1 + Math.floor(Math.random() * 5));
    if (tick % 10 === 0) await inc('CONSULTATIONS', 1);
    if (tick % 25 === 0) {
      const text = POSTS[Math.floor(tick / 25) % POSTS.length];
      await editor.run('mutation($a: ID!, $t: String!) { postFeedEntry(input: { activityId: $a, text: $t }) { id } }', { a: drive.id, t: text });
      log(`posted: ${text}`);
    }
    if (tick % 20 === 0) log(`signatures: ${signatures.incrementStatistic.value}`);
    tick++;
    await new Promise((r) => setTimeout(r, 200));
  }
  return tick;
}

if (require.main === module) {
  const url = process.env.CASCADE_URL ?? `http://localhost:${process.env.PORT ?? 4000}/graphql`;
  (async () => {
    const screen = await createLiveScreenLink(url);
    if (!screen) throw new Error(NO_DRIVE);
    process.stdout.write(`Open the screen: ${url.replace(/\/graphql$/, '')}${screen}\nPlaying a one-minute signature drive…\n`);
    const ticks = await playSignatureDrive(url, Number(process.env.SECONDS ?? 60), (line) => process.stdout.write(`  ${line}\n`));
    process.stdout.write(`done: ${ticks} rounds of increments\n`);
  })().catch((err) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  });
}
