import { Browser, Page, WebSocketRoute } from 'playwright-core';
import { launchChromium } from './helpers/browser';
import { startTestPlatform, TestPlatform } from './helpers/platform';
import { artifactPath, laidOut, layoutProblems } from './helpers/screen-check';
import { buildTree, TreeKey, TreeNode } from './helpers/tree';

/**
 * Issue 13 item 4: numbers do not depend on the WebSocket alone. A screen reads the current state
 * over HTTP first, then goes live over graphql-ws; where WebSockets are blocked (a government
 * intranet proxy: the upgrade refused, or accepted and never answered) it polls over HTTP (≤ 10 s)
 * and says it is not live; once the socket connects again it goes live. Chromium refuses or holds
 * the socket itself (routeWebSocket), so the gateway is untouched.
 */
let t: TestPlatform;
let n: Record<TreeKey, TreeNode>;
let browser: Browser;
let base: string;
let activityId: string;

const INC = 'mutation($a: ID!, $i: Indicator!, $by: Int!) { incrementStatistic(input: { activityId: $a, indicator: $i, by: $by }) { value } }';
const CREATE = 'mutation($i: CreateScreenLinkInput!) { createScreenLink(input: $i) { id url } }';
/** The page polls every 5 s: an update shows within one period and a request. */
const POLLED_WITHIN_MS = 10_000;

beforeAll(async () => {
  t = await startTestPlatform('screenfallback');
  base = t.platform.gateway.url.replace(/\/graphql$/, '');
  n = await buildTree(t);
  const c = await n.cityA1.admin.run('mutation { createCampaign(input: { title: "2024年保护知识产权宣传周", theme: "保护知识产权，促进创新发展", startsOn: "2024-04-20", endsOn: "2024-04-26" }) { id } }');
  const a = await n.cityA1.admin.run('mutation($c: ID!, $u: ID) { createActivity(input: { campaignId: $c, title: "开幕式暨万人签名活动", kind: SIGNATURE_DRIVE, startsAt: "2024-04-20T01:00:00Z", location: "工人文化宫", leadUnitId: $u, targets: [{ indicator: SIGNATURES, value: 10000 }] }) { id } }', {
    c: c.createCampaign.id,
    u: n.cityA1.unitId,
  });
  activityId = a.createActivity.id;
  await n.cityA1.admin.run(INC, { a: activityId, i: 'SIGNATURES', by: 1200 });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

/**
 * A page whose WebSockets to /graphql are, while `mode.blocked` is set, refused (closed at once,
 * like a proxy that denies the upgrade) or held (opened and never answered); otherwise passed on.
 */
async function pageBehindProxy(url: string, mode: { blocked: 'refuse' | 'hold' | null }): Promise<{ page: Page; attempts: () => number }> {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  let attempts = 0;
  await page.routeWebSocket(/\/graphql$/, (ws: WebSocketRoute) => {
    attempts++;
    if (mode.blocked === 'refuse') void ws.close({ code: 1008, reason: 'blocked by proxy' });
    else if (mode.blocked === null) ws.connectToServer();
    // 'hold': the socket opens and nothing ever answers
  });
  await page.goto(`${base}${url}`);
  return { page, attempts: () => attempts };
}

const valueOf = (page: Page, indicator: string) => page.locator(`[data-indicator="${indicator}"] .value`).textContent();
const waitValue = (page: Page, indicator: string, value: string, timeout: number) =>
  page.waitForFunction(([i, v]) => document.querySelector(`[data-indicator="${i}"] .value`)?.textContent === v, [indicator, value], { timeout });

describe('with WebSockets refused by a proxy', () => {
  it('shows the numbers read over HTTP, says it is not live, keeps them current by polling, and goes live once the socket connects', async () => {
    const link = (await n.cityA1.admin.run(CREATE, { i: { activityId } })).createScreenLink;
    const mode: { blocked: 'refuse' | 'hold' | null } = { blocked: 'refuse' };
    const { page, attempts } = await pageBehindProxy(link.url, mode);

    // the current state at once, over HTTP, with the target's progress
    await waitValue(page, 'SIGNATURES', '1200', 5000);
    expect(await page.locator('[data-indicator="SIGNATURES"] .progress-text').textContent()).toBe('已签名 1200 / 目标 10000');
    await page.waitForSelector('#status.polling', { timeout: 10_000 });
    expect(await page.locator('#status').textContent()).toContain('非实时');
    expect(attempts()).toBeGreaterThan(0);
    await laidOut(page);
    expect(await layoutProblems(page)).toEqual([]);
    await page.screenshot({ path: artifactPath('fallback-polling-1920x1080.png') });
    await page.setViewportSize({ width: 1280, height: 720 });
    await laidOut(page);
    expect(await layoutProblems(page)).toEqual([]);
    await page.screenshot({ path: artifactPath('fallback-polling-1280x720.png') });

    // a change reaches the screen by polling
    await n.cityA1.admin.run(INC, { a: activityId, i: 'SIGNATURES', by: 37 });
    await waitValue(page, 'SIGNATURES', '1237', POLLED_WITHIN_MS);
    expect(await page.locator('#status').getAttribute('class')).toContain('polling');
    expect(await page.locator('#updated').textContent()).toMatch(/^更新于 \d{2}:\d{2}:\d{2}$/);

    // the proxy lets WebSockets through again: live within one reconnect period (≤ 10 s, plus the handshake)
    mode.blocked = null;
    await page.waitForSelector('#status.live', { timeout: 20_000 });
    expect(await page.locator('#status').textContent()).toBe('实时');
    expect(await page.locator('#updated').textContent()).toBe('');
    // and changes arrive over the socket, well inside a poll period
    const started = Date.now();
    await n.cityA1.admin.run(INC, { a: activityId, i: 'SIGNATURES', by: 63 });
    await waitValue(page, 'SIGNATURES', '1300', 3000);
    process.stdout.write(`live again: increment → pixels ${Date.now() - started} ms\n`);
    await page.screenshot({ path: artifactPath('fallback-live-again-1920x1080.png') });
    await page.close();
  }, 60_000);
});

describe('with WebSockets accepted by a proxy that never answers', () => {
  it('stops waiting for the handshake, says it is not live and polls', async () => {
    const link = (await n.cityA1.admin.run(CREATE, { i: { activityId } })).createScreenLink;
    const { page } = await pageBehindProxy(link.url, { blocked: 'hold' });
    await page.waitForSelector('[data-indicator="SIGNATURES"]', { timeout: 5000 });
    await page.waitForSelector('#status.polling', { timeout: 10_000 });
    const now = Number(await valueOf(page, 'SIGNATURES'));
    await n.cityA1.admin.run(INC, { a: activityId, i: 'SIGNATURES', by: 1 });
    await waitValue(page, 'SIGNATURES', String(now + 1), POLLED_WITHIN_MS);
    await page.close();
  }, 40_000);
});

describe('a roll-up board with WebSockets refused', () => {
  it('keeps its totals and its children current over HTTP', async () => {
    const link = (await n.provA.admin.run(CREATE, { i: { tenantId: n.provA.tenantId } })).createScreenLink;
    const { page } = await pageBehindProxy(link.url, { blocked: 'refuse' });
    await page.waitForSelector('.bar[data-tenant="甲二市"]', { timeout: 5000 });
    await page.waitForSelector('#status.polling', { timeout: 10_000 });
    const before = Number(await valueOf(page, 'SIGNATURES'));
    await n.cityA1.admin.run(INC, { a: activityId, i: 'SIGNATURES', by: 5 });
    await waitValue(page, 'SIGNATURES', String(before + 5), POLLED_WITHIN_MS);
    expect(await page.locator('.bar[data-tenant="甲一市"] .value').textContent()).toBe(String(before + 5));
    await page.close();
  }, 40_000);
});

describe('a link revoked while the screen polls', () => {
  it('shows "link not valid" at the next poll', async () => {
    const link = (await n.cityA1.admin.run(CREATE, { i: { activityId } })).createScreenLink;
    const { page } = await pageBehindProxy(link.url, { blocked: 'refuse' });
    await page.waitForSelector('#status.polling', { timeout: 10_000 });
    await n.cityA1.admin.run('mutation($id: ID!) { revokeScreenLink(id: $id) { revoked } }', { id: link.id });
    await page.waitForSelector('#invalid:not([hidden])', { timeout: POLLED_WITHIN_MS });
    expect(await page.locator('#screen').isVisible()).toBe(false);
    await page.close();
  }, 40_000);
});
