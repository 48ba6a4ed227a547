import { PUBLIC_SCHEMA_FILE } from '@cascade/app';
import { diff } from '@graphql-inspector/core';
import { buildClientSchema, buildSchema, getIntrospectionQuery, GraphQLScalarType, IntrospectionQuery } from 'graphql';
import { readFileSync } from 'node:fs';
import { Browser } from 'playwright-core';
import { example } from '../examples/client/example';
import { launchChromium } from './helpers/browser';
import { PASSWORD, ROOT_EMAIL, ROOT_PASSWORD, startTestPlatform, TestPlatform } from './helpers/platform';

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

describe('what GraphiQL and generated clients rely on', () => {
  it('the schema the gateway serves (introspection) is schema/public.graphql, change for change', async () => {
    const answer = await t.root.run(getIntrospectionQuery({ specifiedByUrl: true, inputValueDeprecation: true }));
    const served = buildClientSchema(answer as IntrospectionQuery);
    const checkedIn = buildSchema(readFileSync(PUBLIC_SCHEMA_FILE, 'utf8'));
    // directive usages are not introspected (graphql-js gives only @specifiedBy's URL): compared apart
    const changes = (await diff(checkedIn, served)).filter((c) => !c.type.startsWith('DIRECTIVE_USAGE_'));
    expect(changes.map((c) => `${c.type} ${c.path ?? ''}`)).toEqual([]);
    const safeInt = (schema: typeof served) => (schema.getType('SafeInt') as GraphQLScalarType).specifiedByURL;
    expect(safeInt(served)).toBe(safeInt(checkedIn));
  });

  it('the typed client example runs against the gateway', async () => {
    const nation = (await t.root.run('mutation { createTenant(input: { name: "全国", level: NATIONAL }) { id } }')).createTenant.id;
    await t.root.run('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
      i: { tenantId: nation, email: 'editor@client.test', name: '编辑', password: PASSWORD, role: 'EDITOR' },
    });
    const editor = await t.signIn('editor@client.test');
    const c = await editor.run('mutation { createCampaign(input: { title: "宣传周", startsOn: "2024-04-20", endsOn: "2024-04-26" }) { id } }');
    const a = await editor.run('mutation($c: ID!) { createActivity(input: { campaignId: $c, title: "万人签名", kind: SIGNATURE_DRIVE, startsAt: "2024-04-20T02:00:00Z" }) { id } }', { c: c.createCampaign.id });
    expect(await example(t.platform.gateway.url, 'editor@client.test', PASSWORD, a.createActivity.id)).toEqual(['全国: 宣传周 (DRAFT, 2024-04-20)', 'signatures now 37']);
  });
});
