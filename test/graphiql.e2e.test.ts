import { Browser } from 'playwright-core';
import { launchChromium } from './helpers/browser';
import { ROOT_EMAIL, ROOT_PASSWORD, startTestPlatform, TestPlatform } from './helpers/platform';

/**
 * GraphiQL (development only) works on a network that reaches nothing but the gateway, as on
 * an offline government network: its scripts and styles come from the gateway itself. Every
 * request to another host is refused and counted, and the editor must render.
 */
let t: TestPlatform;
let browser: Browser;

beforeAll(async () => {
  t = await startTestPlatform('graphiql');
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

it('renders its editor with every request outside the gateway refused', async () => {
  const gateway = new URL(t.platform.gateway.url);
  const page = await browser.newPage();
  const refused: string[] = [];
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.origin === gateway.origin) return route.continue();
    refused.push(url.href);
    return route.abort('internetdisconnected');
  });
  const res = await page.goto(gateway.href, { waitUntil: 'load' });
  expect(res?.status()).toBe(200);
  expect(res?.headers()['content-type']).toMatch(/text\/html/);
  const editor = page.locator('.graphiql-container .graphiql-editor').first();
  await editor.waitFor({ state: 'visible', timeout: 20_000 }).catch((err: Error) => {
    throw new Error(`no GraphiQL editor (${err.message.split('\n')[0]}); requests refused: ${JSON.stringify(refused)}`);
  });
  expect(refused).toEqual([]);
  await page.close();
});

it('runs an operation through the gateway (signIn, the one operation without a token)', async () => {
  const page = await browser.newPage();
  await page.route('**/*', (route) => (new URL(route.request().url()).origin === new URL(t.platform.gateway.url).origin ? route.continue() : route.abort()));
  const query = `mutation { signIn(email: "${ROOT_EMAIL}", password: "${ROOT_PASSWORD}") { user { email } } }`;
  await page.goto(`${t.platform.gateway.url}?query=${encodeURIComponent(query)}`);
  await page.locator('.graphiql-execute-button').click();
  await page.locator('.graphiql-response').getByText(ROOT_EMAIL).waitFor({ timeout: 20_000 });
  await page.close();
});
