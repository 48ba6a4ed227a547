import { GraphQLClient } from '../client';
import { DEMO_PASSWORD } from './org-demo';

/**
 * The demo's opening ceremony (第八师石河子市, 工人文化宫): finds it as the venue's editor,
 * makes (or reuses) its screen link, and `playCeremony` runs a short simulated signature drive.
 */
export const VENUE_EDITOR = 'editor@bashi.demo';

export async function findOpeningCeremony(client: GraphQLClient): Promise<{ id: string; title: string } | null> {
  const me = await client.run<{ me: { tenant: { id: string } } }>('{ me { tenant { id } } }');
  const data = await client.run('query($t: ID) { campaigns(tenantId: $t, first: 100) { edges { node { activities { id title kind } } } } }', { t: me.me.tenant.id });
  for (const edge of data.campaigns.edges) {
    const ceremony = edge.node.activities.find((a: { kind: string }) => a.kind === 'OPENING_CEREMONY');
    if (ceremony) return ceremony;
  }
  return null;
}

export async function createCeremonyScreenLink(gatewayUrl: string): Promise<string | null> {
  const editor = await new GraphQLClient(gatewayUrl).signIn(VENUE_EDITOR, DEMO_PASSWORD);
  const ceremony = await findOpeningCeremony(editor);
  if (!ceremony) return null;
  const expiresAt = new Date(Date.now() + 89 * 24 * 3600 * 1000).toISOString();
  const link = await editor.run('mutation($a: ID!, $e: DateTime) { createScreenLink(input: { activityId: $a, expiresAt: $e }) { url } }', { a: ceremony.id, e: expiresAt });
  return link.createScreenLink.url as string;
}

const POSTS = [
  '开幕式开始，师市领导致辞',
  '“保护知识产权，促进创新发展”万人签名活动启动',
  '签名墙前排起长队',
  '知识产权局工作人员现场解答群众咨询',
  '展板前观众络绎不绝',
  '发放宣传海报、宣传单',
  '中小学生代表参加签名',
  '企业代表签署诚信经营承诺书',
  '签名人数持续增长',
  '开幕式圆满结束，签名活动继续进行',
];

/** A few hundred increments and a feed post every few seconds, over `seconds`. */
export async function playCeremony(gatewayUrl: string, seconds = 60, log: (line: string) => void = () => undefined) {
  const editor = await new GraphQLClient(gatewayUrl).signIn(VENUE_EDITOR, DEMO_PASSWORD);
  const ceremony = await findOpeningCeremony(editor);
  if (!ceremony) throw new Error('No opening ceremony in the demo data: start Cascade with DEMO_DATA=true on a fresh DATA_DIR');
  const inc = (indicator: string, by: number) =>
    editor.run('mutation($a: ID!, $i: Indicator!, $by: Int!, $k: String) { incrementStatistic(input: { activityId: $a, indicator: $i, by: $by, idempotencyKey: $k }) { value } }', {
      a: ceremony.id, i: indicator, by, k: `ceremony-${Date.now()}-${Math.random()}`,
    });
  const started = Date.now();
  let tick = 0;
  while (Date.now() - started < seconds * 1000) {
    const signatures = await inc('SIGNATURES', 1 + Math.floor(Math.random() * 12));
    if (tick % 4 === 0) await inc('PARTICIPANTS', 1 + Math.floor(Math.random() * 5));
    if (tick % 10 === 0) await inc('CONSULTATIONS', 1);
    if (tick % 25 === 0) {
      const text = POSTS[Math.floor(tick / 25) % POSTS.length];
      await editor.run('mutation($a: ID!, $t: String!) { postFeedEntry(input: { activityId: $a, text: $t }) { id } }', { a: ceremony.id, t: text });
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
    const screen = await createCeremonyScreenLink(url);
    if (!screen) throw new Error('No opening ceremony in the demo data: start Cascade with DEMO_DATA=true on a fresh DATA_DIR');
    process.stdout.write(`Open the screen: ${url.replace(/\/graphql$/, '')}${screen}\nPlaying a one-minute signature drive…\n`);
    const ticks = await playCeremony(url, Number(process.env.SECONDS ?? 60), (line) => process.stdout.write(`  ${line}\n`));
    process.stdout.write(`done: ${ticks} rounds of increments\n`);
  })().catch((err) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  });
}
