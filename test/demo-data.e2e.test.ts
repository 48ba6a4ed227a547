import { loadDemoData } from '@cascade/app';
import { ROOT_EMAIL, ROOT_PASSWORD, startTestPlatform, TestPlatform } from './helpers/platform';

/** The demo data from the seed documents, loaded through the public API as `npm start` does. */
let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform('demo');
  expect(await loadDemoData(t.platform.gateway.url, ROOT_EMAIL, ROOT_PASSWORD)).not.toBeNull();
}, 120000);
afterAll(async () => {
  await t?.stop();
});

const as = (email: string) => t.signIn(email, 'cascade-demo');

it('has the tenant tree of the documents with the 八师 leading group and the Gulou roster', async () => {
  const national = await as('admin@national.demo');
  const tree = await national.run('{ tenants(first: 100) { edges { node { name level parent { name } } } } }');
  const parentOf = Object.fromEntries(tree.tenants.edges.map((e: any) => [e.node.name, e.node.parent?.name ?? null]));
  expect(parentOf).toMatchObject({ 全国整规办: null, 新疆生产建设兵团: '全国整规办', 第八师石河子市: '新疆生产建设兵团', 浙江省: '全国整规办', 杭州市: '浙江省', 福建省: '全国整规办', 福州市: '福建省', 鼓楼区: '福州市' });
  const bashi = await as('admin@bashi.demo');
  const me = await bashi.run('{ me { tenant { committees { name members { role person { name title } } } } } }');
  expect(me.me.tenant.committees[0].members).toEqual([
    { role: '组长', person: { name: '张祖树', title: '八师党委常委、八师副师长' } },
    { role: '副组长', person: { name: '牟中庆', title: '师市党委副秘书长' } },
  ]);
  const gulou = await as('admin@gulou.demo');
  const roster = (await gulou.run('{ me { tenant { committees { members { role person { name } } } } } }')).me.tenant.committees[0].members;
  expect(roster).toHaveLength(10);
  expect(roster[0]).toEqual({ role: '主任', person: { name: '许铭忠' } });
});

it('has the 八师 week implementing the 兵团 one implementing the national notice, with the summary’s figures', async () => {
  const bashi = await as('admin@bashi.demo');
  const data = await bashi.run('{ campaigns(first: 10) { edges { node { title status implements { title implements { title } } activities { title kind location statistics { indicator value approximate } } tasks { status } } } } }');
  const week = data.campaigns.edges.map((e: any) => e.node).find((c: any) => c.title.includes('第八师'));
  expect(week.implements.title).toBe('兵团2024年保护知识产权宣传周');
  expect(week.implements.implements.title).toContain('整规办发[2024]3号');
  const ceremony = week.activities.find((a: any) => a.kind === 'OPENING_CEREMONY');
  expect(ceremony.location).toBe('工人文化宫');
  expect(ceremony.statistics).toEqual(expect.arrayContaining([{ indicator: 'PARTICIPANTS', value: 3600, approximate: true }, { indicator: 'DISPLAY_BOARDS', value: 130, approximate: true }]));
  expect(week.activities.map((a: any) => a.kind)).toEqual(expect.arrayContaining(['FORUM', 'JOINT_ENFORCEMENT', 'EXHIBITION', 'CONSULTATION']));
  expect(week.tasks.every((task: any) => task.status === 'DONE')).toBe(true);
});

it('rolls the 八师 figures up to the national office, per directive', async () => {
  const national = await as('admin@national.demo');
  const me = await national.run('{ me { tenant { id campaigns { id } } } }');
  const r = await national.run('query($t: ID!, $c: ID) { rollup(tenantId: $t, campaignId: $c) { totals { indicator value } } }', { t: me.me.tenant.id, c: me.me.tenant.campaigns[0].id });
  const total = (i: string) => r.rollup.totals.find((x: any) => x.indicator === i)?.value;
  expect(total('PARTICIPANTS')).toBe(3600);
  expect(total('MATERIALS_DISTRIBUTED')).toBe(20000 + 5000 + 40000);
  expect(total('BANNERS')).toBe(25 + 30);
});

it('has the city plan’s six slogans with their units, and a second load adds nothing', async () => {
  const fuzhou = await as('admin@fuzhou.demo');
  const plan = await fuzhou.run('{ campaigns { edges { node { slogans { text unit { name } } } } } }');
  const slogans = plan.campaigns.edges[0].node.slogans;
  expect(slogans).toHaveLength(6);
  expect(slogans[2]).toEqual({ text: '保护知识产权，打击侵权盗版。', unit: { name: '市文化局' } });
  expect(await loadDemoData(t.platform.gateway.url, ROOT_EMAIL, ROOT_PASSWORD)).toBeNull();
  expect((await t.root.run('{ tenants { totalCount } }')).tenants.totalCount).toBe(8);
});

it('has the 八师 week’s display boards and printed matter, uploaded and READY', async () => {
  const editor = await as('editor@bashi.demo');
  const assets = await editor.run('{ assets(first: 20) { edges { node { title kind status quantityProduced contentType sha256 activity { title } } } } }');
  const byTitle = Object.fromEntries(assets.assets.edges.map((e: any) => [e.node.title, e.node]));
  expect(byTitle['保护知识产权成果展板']).toMatchObject({ kind: 'DISPLAY_BOARD', status: 'READY', quantityProduced: 130, contentType: 'image/png', activity: { title: '保护知识产权宣传周暨成果展开幕式及万人签名活动' } });
  expect(byTitle['宣传资料']).toMatchObject({ kind: 'FLYER', status: 'READY', quantityProduced: 40000, contentType: 'application/pdf' });
  expect(Object.values(byTitle).every((a: any) => a.status === 'READY' && /^[0-9a-f]{64}$/.test(a.sha256))).toBe(true);
});
