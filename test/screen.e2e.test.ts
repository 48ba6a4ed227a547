import { Browser, Page } from 'playwright-core';
import { launchChromium } from './helpers/browser';
import { artifactPath } from './helpers/screen-check';
import { codeOf, startTestPlatform, TestPlatform } from './helpers/platform';
import { buildTree, TreeKey, TreeNode } from './helpers/tree';

/** The big screens in a real browser (Debian Chromium via playwright-core), through the gateway. */
let t: TestPlatform;
let n: Record<TreeKey, TreeNode>;
let browser: Browser;
let base: string;
const act: Partial<Record<TreeKey, string>> = {};

const CREATE = 'mutation($i: CreateScreenLinkInput!) { createScreenLink(input: $i) { id url expiresAt revoked activity { title } tenant { name } } }';
const INC = 'mutation($a: ID!, $i: Indicator!, $by: Int!) { incrementStatistic(input: { activityId: $a, indicator: $i, by: $by }) { value } }';

beforeAll(async () => {
  t = await startTestPlatform('screen');
  base = t.platform.gateway.url.replace(/\/graphql$/, '');
  n = await buildTree(t);
  for (const key of ['cityA1', 'cityA2'] as TreeKey[]) {
    const c = await n[key].admin.run('mutation { createCampaign(input: { title: "2024年保护知识产权宣传周", theme: "保护知识产权，促进创新发展", startsOn: "2024-04-20", endsOn: "2024-04-26" }) { id } }');
    const a = await n[key].admin.run('mutation($c: ID!, $u: ID) { createActivity(input: { campaignId: $c, title: "开幕式暨万人签名活动", kind: OPENING_CEREMONY, startsAt: "2024-04-20T01:00:00Z", endsAt: "2024-04-20T03:00:00Z", location: "工人文化宫", leadUnitId: $u }) { id } }', { c: c.createCampaign.id, u: n[key].unitId });
    act[key] = a.createActivity.id;
    await n[key].admin.run(INC, { a: act[key], i: 'SIGNATURES', by: key === 'cityA1' ? 1200 : 800 });
  }
  await n.cityA1.admin.run(INC, { a: act.cityA1, i: 'PARTICIPANTS', by: 3600 });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

/** Every HTTP request a screen sent to /graphql, with the answer's status, in order. */
const graphqlRequests: { method: string; url: URL; body: any; status: number }[] = [];

async function openScreen(url: string, width = 1920, height = 1080): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  page.on('response', (res) => {
    const request = res.request();
    const url = new URL(request.url());
    if (url.pathname !== '/graphql') return;
    graphqlRequests.push({ method: request.method(), url, body: request.postData() ? JSON.parse(request.postData()!) : null, status: res.status() });
  });
  await page.goto(`${base}${url}`);
  return page;
}

const counterText = (page: Page, indicator: string) => page.locator(`[data-indicator="${indicator}"] .value`).textContent();

describe('the activity screen', () => {
  let link: { id: string; url: string };
  let page: Page;

  beforeAll(async () => {
    link = (await n.cityA1.admin.run(CREATE, { i: { activityId: act.cityA1 } })).createScreenLink;
    page = await openScreen(link.url);
  });
  afterAll(() => page?.close());

  it('shows the activity, the theme and live counters in Chinese', async () => {
    await page.waitForSelector('[data-indicator="SIGNATURES"]');
    expect(await page.locator('#title').textContent()).toBe('开幕式暨万人签名活动');
    expect(await page.locator('#theme').textContent()).toBe('保护知识产权，促进创新发展');
    expect(await page.locator('#where').textContent()).toContain('工人文化宫');
    expect(await page.locator('#when').textContent()).toContain('4月20日 09:00');
    expect(await counterText(page, 'SIGNATURES')).toBe('1200');
    expect(await counterText(page, 'PARTICIPANTS')).toBe('3600');
    await page.waitForFunction(() => document.querySelector('#status')?.classList.contains('live'));
  });

  // npm test holds no timing: the one-second goal is bench/screen-latency.js's (p95 of 50 increments)
  it('changes the number after an increment, without a reload', async () => {
    const started = Date.now();
    await n.cityA1.admin.run(INC, { a: act.cityA1, i: 'SIGNATURES', by: 37 });
    await page.waitForFunction(() => document.querySelector('[data-indicator="SIGNATURES"] .value')?.textContent === '1237', undefined, { timeout: 5000 });
    const incrementToPixels = Date.now() - started;
    process.stdout.write(`increment → pixels: ${incrementToPixels} ms\n`);
    await page.screenshot({ path: artifactPath('activity-screen-1920x1080.png') });
  });

  it('shows feed entries as they are posted', async () => {
    await n.cityA1.admin.run('mutation($a: ID!) { postFeedEntry(input: { activityId: $a, text: "签名墙前排起长队" }) { id } }', { a: act.cityA1 });
    await page.waitForSelector('text=签名墙前排起长队', { timeout: 5000 });
  });

  it('works at 1280×720', async () => {
    const small = await openScreen(link.url, 1280, 720);
    await small.waitForSelector('[data-indicator="SIGNATURES"]');
    const overflow = await small.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow).toBe(false);
    await small.screenshot({ path: artifactPath('activity-screen-1280x720.png') });
    await small.close();
  });

  it('reads over HTTP by document hash (persisted queries): the text once, when the gateway does not know it', async () => {
    const hashOf = (r: (typeof graphqlRequests)[number]) =>
      (r.method === 'GET' ? JSON.parse(r.url.searchParams.get('extensions')!) : r.body.extensions).persistedQuery.sha256Hash as string;
    const before = graphqlRequests.length;
    const again = await openScreen(link.url);
    await again.waitForSelector('[data-indicator="SIGNATURES"]');
    await again.close();
    // the documents are known by now: this page read by their hashes alone, with GET
    const mine = graphqlRequests.slice(before);
    expect(mine.length).toBeGreaterThan(0);
    for (const r of mine) {
      expect([r.method, r.status, r.url.searchParams.get('query')]).toEqual(['GET', 200, null]);
      expect(hashOf(r)).toMatch(/^[0-9a-f]{64}$/);
    }
    // every text sent so far followed a GET of its hash that the gateway did not know (404)
    const posts = graphqlRequests.filter((r) => r.method === 'POST');
    expect(posts.length).toBeGreaterThan(0);
    for (const post of posts) {
      expect(post.body.query).toBeTruthy();
      const earlier = graphqlRequests.slice(0, graphqlRequests.indexOf(post)).filter((r) => r.method === 'GET' && hashOf(r) === hashOf(post));
      expect(earlier.at(-1)?.status).toBe(404);
    }
  });

  it('stops updating within seconds when the link is revoked, and then shows "link not valid"', async () => {
    await n.cityA1.admin.run('mutation($id: ID!) { revokeScreenLink(id: $id) { revoked } }', { id: link.id });
    await page.waitForSelector('#invalid:not([hidden])', { timeout: 5000 });
    expect(await page.locator('#invalid h1').textContent()).toBe('链接无效');
    await page.screenshot({ path: artifactPath('revoked-screen-1920x1080.png') });
  });
});

describe('links that are not valid', () => {
  it('a revoked, a tampered or a made-up link shows "link not valid" and no data', async () => {
    const link = (await n.cityA1.admin.run(CREATE, { i: { activityId: act.cityA1 } })).createScreenLink;
    await n.cityA1.admin.run('mutation($id: ID!) { revokeScreenLink(id: $id) { revoked } }', { id: link.id });
    const [head, payload, sig] = link.url.split('/').pop()!.split('.');
    const tampered = `/screen/${head}.${payload}.${sig.slice(0, -3)}AAA`;
    for (const url of [link.url, tampered, '/screen/not-a-token']) {
      const res = await fetch(`${base}${url}`);
      expect(res.status).toBe(404);
      const html = await res.text();
      expect(html).toContain('链接无效');
      expect(html).not.toContain('开幕式');
      const page = await openScreen(url);
      await page.waitForSelector('#invalid');
      expect(await page.content()).not.toContain('1237');
      await page.close();
    }
  });

  it("a screen token reads and subscribes to its one target only: not another tenant's, not a mutation", async () => {
    const link = (await n.cityA1.admin.run(CREATE, { i: { activityId: act.cityA1 } })).createScreenLink;
    const token = link.url.split('/').pop()!;
    const screen = t.gql.withToken(token);
    expect((await screen.run('query($a: ID!) { activity(id: $a) { title } }', { a: act.cityA1 })).activity.title).toBe('开幕式暨万人签名活动');
    expect(codeOf(await screen.request('query($a: ID!) { activity(id: $a) { title } }', { a: act.cityA2 }))).toBe('FORBIDDEN');
    expect(codeOf(await screen.request('{ me { email } }'))).toBe('FORBIDDEN');
    expect(codeOf(await screen.request('{ tenants { totalCount } }'))).toBe('FORBIDDEN');
    expect(codeOf(await screen.request(INC, { a: act.cityA1, i: 'SIGNATURES', by: 1 }))).toBe('FORBIDDEN');
    expect(codeOf(await screen.request('query($a: ID!) { activity(id: $a) { title } a2: campaigns { totalCount } }', { a: act.cityA1 }))).toBe('FORBIDDEN');
    // below the target, only what a screen shows: no way to the tenant's people, units or e-mail addresses
    expect(codeOf(await screen.request('query($a: ID!) { activity(id: $a) { campaign { tenant { units { name } } } } }', { a: act.cityA1 }))).toBe('FORBIDDEN');
    expect(codeOf(await screen.request('query($a: ID!) { activity(id: $a) { leadUnit { tenant { committees { name } } } } }', { a: act.cityA1 }))).toBe('FORBIDDEN');
    expect(codeOf(await screen.request('query($a: ID!) { feed(activityId: $a) { edges { node { author { email } } } } }', { a: act.cityA1 }))).toBe('FORBIDDEN');
    expect(codeOf(await screen.request('query($a: ID!) { feed(activityId: $a) { edges { node { text author { name } } } } }', { a: act.cityA1 }))).toBe('NONE');
    const board = t.gql.withToken((await n.provA.admin.run(CREATE, { i: { tenantId: n.provA.tenantId } })).createScreenLink.url.split('/').pop()!);
    expect(codeOf(await board.request('query($t: ID!) { rollup(tenantId: $t) { tenant { name } totals { value } } }', { t: n.provA.tenantId }))).toBe('NONE');
    expect(codeOf(await board.request('query($t: ID!) { rollup(tenantId: $t) { tenant { name } } }', { t: n.cityA1.tenantId }))).toBe('FORBIDDEN');
    expect(codeOf(await board.request('query($t: ID!) { tenant(id: $t) { units { name } } }', { t: n.provA.tenantId }))).toBe('FORBIDDEN');
  });
});

describe('creating and revoking links across tenants', () => {
  it('only editors of the target’s own tenant create and revoke links', async () => {
    expect(codeOf(await n.cityA2.admin.request(CREATE, { i: { activityId: act.cityA1 } }))).toBe('NOT_FOUND');
    expect(codeOf(await n.provA.admin.request(CREATE, { i: { activityId: act.cityA1 } }))).toBe('FORBIDDEN');
    expect(codeOf(await n.cityA1.admin.request(CREATE, { i: { activityId: '999999' } }))).toBe('NOT_FOUND');
    expect(codeOf(await n.cityA1.admin.request(CREATE, { i: { tenantId: n.cityA2.tenantId } }))).toBe('NOT_FOUND');
    expect(codeOf(await n.cityA1.admin.request(CREATE, { i: { tenantId: n.provA.tenantId } }))).toBe('NOT_FOUND');
    expect(codeOf(await n.cityA1.admin.request(CREATE, { i: { activityId: act.cityA1, tenantId: n.cityA1.tenantId } }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await n.cityA1.admin.request(CREATE, { i: {} }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await n.cityA1.admin.request(CREATE, { i: { activityId: act.cityA1, expiresAt: '2020-01-01T00:00:00Z' } }))).toBe('BAD_USER_INPUT');
    const link = (await n.cityA1.admin.run(CREATE, { i: { activityId: act.cityA1 } })).createScreenLink;
    expect(codeOf(await n.cityA2.admin.request('mutation($id: ID!) { revokeScreenLink(id: $id) { revoked } }', { id: link.id }))).toBe('NOT_FOUND');
    expect(codeOf(await n.provA.admin.request('mutation($id: ID!) { revokeScreenLink(id: $id) { revoked } }', { id: link.id }))).toBe('FORBIDDEN');
  });
});

describe('the roll-up board', () => {
  it("shows the tenant's totals and a live bar chart of its direct children", async () => {
    const link = (await n.provA.admin.run(CREATE, { i: { tenantId: n.provA.tenantId } })).createScreenLink;
    expect(link.tenant.name).toBe('甲省');
    const page = await openScreen(link.url);
    await page.waitForSelector('.bar[data-tenant="甲一市"]');
    expect(await page.locator('#title').textContent()).toBe('甲省 · 汇总');
    const bars = await page.locator('.chart .bar .name').allTextContents();
    expect(bars.sort()).toEqual(['甲一市', '甲二市']);
    // the chart compares the indicator with the largest total: PARTICIPANTS (3,600 at 甲一市)
    expect(await page.locator('#chart-title').textContent()).toContain('参加人数');
    const before = Number(await counterText(page, 'PARTICIPANTS')); // 3600: below 1万, plain digits
    await n.cityA2.admin.run(INC, { a: act.cityA2, i: 'PARTICIPANTS', by: 900 });
    await page.waitForFunction((v) => document.querySelector('[data-indicator="PARTICIPANTS"] .value')?.textContent === v, String(before + 900), { timeout: 5000 });
    await page.waitForFunction(() => document.querySelector('.bar[data-tenant="甲二市"] .value')?.textContent === '900', undefined, { timeout: 5000 });
    await page.screenshot({ path: artifactPath('rollup-board-1920x1080.png') });
    await page.close();
  });
});

describe('the roll-up board keeps 余', () => {
  it('shows an approximate figure recorded at a child city with its 余 (IndicatorTotal.approximate)', async () => {
    await n.cityA2.admin.run('mutation($i: RecordStatisticInput!) { recordStatistic(input: $i) { value } }', {
      i: { activityId: act.cityA2, indicator: 'VISITORS', value: 3600, approximate: true },
    });
    const link = (await n.provA.admin.run(CREATE, { i: { tenantId: n.provA.tenantId } })).createScreenLink;
    const page = await openScreen(link.url);
    await page.waitForSelector('[data-indicator="VISITORS"]');
    expect(await page.locator('[data-indicator="VISITORS"] .approx').textContent()).toBe('余');
    expect(await page.locator('[data-indicator="VISITORS"] .number').textContent()).toBe('3600余人次');
    expect(await page.locator('[data-indicator="PARTICIPANTS"] .approx').textContent()).toBe('');
    await page.close();
  });
});

describe('figures as the documents write them (the reports’ formatter, issue 13 item 3)', () => {
  it('an activity screen shows 6.5万份, 3600余人, 2万余人次: no thousands separators, 余 kept, 万 for round figures', async () => {
    const c = await n.provB.admin.run('mutation { createCampaign(input: { title: "乙省宣传周", startsOn: "2024-04-20", endsOn: "2024-04-26" }) { id } }');
    const a = await n.provB.admin.run('mutation($c: ID!) { createActivity(input: { campaignId: $c, title: "宣传咨询活动", kind: CONSULTATION, startsAt: "2024-04-23T02:00:00Z" }) { id } }', { c: c.createCampaign.id });
    const record = (indicator: string, value: number, approximate: boolean) =>
      n.provB.admin.run('mutation($i: RecordStatisticInput!) { recordStatistic(input: $i) { value } }', { i: { activityId: a.createActivity.id, indicator, value, approximate } });
    await record('MATERIALS_DISTRIBUTED', 65000, false);
    await record('PARTICIPANTS', 3600, true);
    await record('VISITORS', 20000, true);
    const link = (await n.provB.admin.run(CREATE, { i: { activityId: a.createActivity.id } })).createScreenLink;
    const page = await openScreen(link.url);
    await page.waitForSelector('[data-indicator="VISITORS"]');
    const tile = (indicator: string) => page.locator(`[data-indicator="${indicator}"] .number`).textContent();
    expect(await tile('MATERIALS_DISTRIBUTED')).toBe('6.5万份');
    expect(await tile('PARTICIPANTS')).toBe('3600余人');
    expect(await tile('VISITORS')).toBe('2万余人次');
    // a live change is written the same way
    await n.provB.admin.run(INC, { a: a.createActivity.id, i: 'MATERIALS_DISTRIBUTED', by: 5000 });
    await page.waitForFunction(() => document.querySelector('[data-indicator="MATERIALS_DISTRIBUTED"] .number')?.textContent === '7万份', undefined, { timeout: 5000 });
    expect(await page.locator('#counters').textContent()).not.toMatch(/\d,\d/);
    await page.close();
  });
});

describe('screen link fields', () => {
  it('names its target: activity, tenant and campaign', async () => {
    const c = await n.provA.admin.run('mutation { createCampaign(input: { title: "甲省宣传周", startsOn: "2024-04-20", endsOn: "2024-04-26" }) { id } }');
    const link = await n.provA.admin.run('mutation($i: CreateScreenLinkInput!) { createScreenLink(input: $i) { revoked expiresAt tenant { name } campaign { title } activity { title } } }', {
      i: { tenantId: n.provA.tenantId, campaignId: c.createCampaign.id },
    });
    expect(link.createScreenLink).toMatchObject({ revoked: false, tenant: { name: '甲省' }, campaign: { title: '甲省宣传周' }, activity: null });
    const activityLink = await n.cityA1.admin.run('mutation($a: ID!) { createScreenLink(input: { activityId: $a }) { campaign { title } activity { title } } }', { a: act.cityA1 });
    expect(activityLink.createScreenLink).toEqual({ campaign: null, activity: { title: '开幕式暨万人签名活动' } });
  });
});
