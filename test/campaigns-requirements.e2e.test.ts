import { codeOf, PASSWORD, startTestPlatform, TestPlatform } from './helpers/platform';
import { buildTree, TreeKey, TreeNode } from './helpers/tree';

/**
 * API.md "Directives' requirements": Campaign.requiredIndicators, what every report below a
 * directive must state. Set by createCampaign and updateCampaign, read by whoever reads the
 * campaign (a subordinate reading the directive it implements too), through the real gateway.
 */
let t: TestPlatform;
let n: Record<TreeKey, TreeNode>;
let viewer: TreeNode['admin'];
const ids: Record<string, string> = {};

const window = { startsOn: '2024-04-20', endsOn: '2024-04-26' };
const CREATE = 'mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id requiredIndicators } }';
const UPDATE = 'mutation($i: UpdateCampaignInput!) { updateCampaign(input: $i) { id title requiredIndicators } }';
const READ = 'query($id: ID!) { campaign(id: $id) { id title requiredIndicators implements { id requiredIndicators } } }';
const MOVE = 'mutation($id: ID!, $s: CampaignStatus!) { setCampaignStatus(id: $id, status: $s) { status } }';

const required = async (who: TreeKey, id: string) => (await n[who].admin.run(READ, { id })).campaign?.requiredIndicators ?? null;

beforeAll(async () => {
  t = await startTestPlatform('requirements');
  n = await buildTree(t);
  const national = await n.nation.admin.run(CREATE, { i: { title: '全国宣传周', ...window, requiredIndicators: ['PARTICIPANTS', 'SIGNATURES', 'MEDIA_REPORTS'] } });
  ids.national = national.createCampaign.id;
  await n.nation.admin.run('mutation($id: ID!) { publishCampaign(id: $id) { status } }', { id: ids.national });
  await n.provA.admin.run('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
    i: { tenantId: n.provA.tenantId, email: 'viewer@prova-requirements.test', name: '查看员', password: PASSWORD, role: 'VIEWER' },
  });
  viewer = await t.signIn('viewer@prova-requirements.test');
});
afterAll(async () => {
  await t?.stop();
});

describe('set at create', () => {
  it('createCampaign stores them in the order given', async () => {
    expect(await required('nation', ids.national)).toEqual(['PARTICIPANTS', 'SIGNATURES', 'MEDIA_REPORTS']);
  });

  it('none given: []', async () => {
    const r = await n.provA.admin.run(CREATE, { i: { title: '甲省宣传周', ...window, implementsId: ids.national } });
    ids.provA = r.createCampaign.id;
    await n.provA.admin.run('mutation($id: ID!) { publishCampaign(id: $id) { status } }', { id: ids.provA });
    expect(r.createCampaign.requiredIndicators).toEqual([]);
    expect(await required('provA', ids.provA)).toEqual([]);
    const explicitNull = await n.provA.admin.run(CREATE, { i: { title: '甲省另一方案', ...window, requiredIndicators: null } });
    expect(explicitNull.createCampaign.requiredIndicators).toEqual([]);
  });

  it('a subordinate reads the directive’s requirements, directly and through implements', async () => {
    expect(await required('provA', ids.national)).toEqual(['PARTICIPANTS', 'SIGNATURES', 'MEDIA_REPORTS']);
    const r = await n.provA.admin.run(READ, { id: ids.provA });
    expect(r.campaign.implements).toEqual({ id: ids.national, requiredIndicators: ['PARTICIPANTS', 'SIGNATURES', 'MEDIA_REPORTS'] });
    expect((await viewer.run(READ, { id: ids.national })).campaign.requiredIndicators).toEqual(['PARTICIPANTS', 'SIGNATURES', 'MEDIA_REPORTS']);
  });

  it('a row written before the column existed (null) reads as []', async () => {
    const r = await n.cityA1.admin.run(CREATE, { i: { title: '甲一市旧方案', ...window, requiredIndicators: ['BANNERS'] } });
    await t.platform.services.find((s) => s.name === 'campaigns')!.dataSource.query('UPDATE campaigns SET required_indicators = NULL WHERE id = ?', [Number(r.createCampaign.id)]);
    expect(await required('cityA1', r.createCampaign.id)).toEqual([]);
  });
});

describe('changed by update', () => {
  it('replaces them; left out keeps them; null clears them; the other fields stay', async () => {
    const r = await n.provA.admin.run(UPDATE, { i: { id: ids.provA, requiredIndicators: ['VISITORS', 'PARTICIPANTS'] } });
    expect(r.updateCampaign).toEqual({ id: ids.provA, title: '甲省宣传周', requiredIndicators: ['VISITORS', 'PARTICIPANTS'] });
    expect(await required('provA', ids.provA)).toEqual(['VISITORS', 'PARTICIPANTS']);
    await n.provA.admin.run(UPDATE, { i: { id: ids.provA, title: '甲省知识产权宣传周' } });
    expect(await n.provA.admin.run(READ, { id: ids.provA })).toMatchObject({ campaign: { title: '甲省知识产权宣传周', requiredIndicators: ['VISITORS', 'PARTICIPANTS'] } });
    await n.provA.admin.run(UPDATE, { i: { id: ids.provA, requiredIndicators: null } });
    expect(await required('provA', ids.provA)).toEqual([]);
    await n.provA.admin.run(UPDATE, { i: { id: ids.provA, requiredIndicators: ['CASES_FILED'] } });
    expect(await required('provA', ids.provA)).toEqual(['CASES_FILED']);
  });

  it('the tenants above read the change; the child reads the directive’s as changed', async () => {
    expect(await required('nation', ids.provA)).toEqual(['CASES_FILED']);
    await n.nation.admin.run(UPDATE, { i: { id: ids.national, requiredIndicators: ['PARTICIPANTS'] } });
    expect(await required('provA', ids.national)).toEqual(['PARTICIPANTS']);
    expect(await required('districtA1', ids.national)).toEqual(['PARTICIPANTS']);
  });

  it('only an editor of the owning tenant: the parent and a viewer FORBIDDEN, a sibling NOT_FOUND; nothing changes', async () => {
    const attempt = (who: TreeNode['admin']) => who.request(UPDATE, { i: { id: ids.provA, requiredIndicators: ['BANNERS'] } });
    expect(codeOf(await attempt(n.nation.admin))).toBe('FORBIDDEN');
    expect(codeOf(await attempt(viewer))).toBe('FORBIDDEN');
    expect(codeOf(await attempt(n.provB.admin))).toBe('NOT_FOUND');
    expect(codeOf(await attempt(n.cityA1.admin))).toBe('FORBIDDEN'); // reads it as its directive
    expect(await required('provA', ids.provA)).toEqual(['CASES_FILED']);
  });

  it('a CLOSED campaign refuses the update with CONFLICT and keeps its requirements', async () => {
    const r = await n.cityA1.admin.run(CREATE, { i: { title: '甲一市宣传周', ...window, implementsId: ids.provA, requiredIndicators: ['SIGNATURES'] } });
    const id = r.createCampaign.id;
    for (const s of ['PUBLISHED', 'IN_PROGRESS', 'CLOSED']) await n.cityA1.admin.run(MOVE, { id, s });
    expect(codeOf(await n.cityA1.admin.request(UPDATE, { i: { id, requiredIndicators: ['BANNERS'] } }))).toBe('CONFLICT');
    expect(codeOf(await n.cityA1.admin.request(UPDATE, { i: { id, requiredIndicators: null } }))).toBe('CONFLICT');
    expect(await required('cityA1', id)).toEqual(['SIGNATURES']);
  });
});

describe('who sees them', () => {
  it('a sibling cannot read the campaign, so not its requirements either', async () => {
    const r = await n.cityA1.admin.run(CREATE, { i: { title: '甲一市专项', ...window, requiredIndicators: ['CONSULTATIONS'] } });
    ids.cityA1 = r.createCampaign.id;
    await n.cityA1.admin.run('mutation($id: ID!) { publishCampaign(id: $id) { status } }', { id: ids.cityA1 });
    expect(await required('cityA1', ids.cityA1)).toEqual(['CONSULTATIONS']); // the positive control
    expect((await n.cityA2.admin.run(READ, { id: ids.cityA1 })).campaign).toBeNull();
    expect((await n.provB.admin.run(READ, { id: ids.cityA1 })).campaign).toBeNull();
    const listed = await n.cityA2.admin.run('{ campaigns(first: 100) { edges { node { id requiredIndicators } } } }');
    expect(listed.campaigns.edges.map((e: any) => e.node.id)).not.toContain(ids.cityA1);
  });
});

describe('bad values: BAD_USER_INPUT, nothing written', () => {
  const create = (requiredIndicators: unknown) => n.cityA2.admin.request(CREATE, { i: { title: '甲二市宣传周', ...window, requiredIndicators } });
  const update = (requiredIndicators: unknown) => n.provA.admin.request(UPDATE, { i: { id: ids.provA, requiredIndicators } });

  it('an indicator named twice', async () => {
    const r = await create(['PARTICIPANTS', 'SIGNATURES', 'PARTICIPANTS']);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toMatch(/PARTICIPANTS twice/);
    expect(codeOf(await update(['BANNERS', 'BANNERS']))).toBe('BAD_USER_INPUT');
  });

  it('an unknown indicator, or one that is not a string', async () => {
    for (const bad of [['PARTICIPANTS', 'NOT_AN_INDICATOR'], ['participants'], [''], [7], [null], 'PARTICIPANTS ']) {
      expect([bad, codeOf(await create(bad))]).toEqual([bad, 'BAD_USER_INPUT']);
      expect([bad, codeOf(await update(bad))]).toEqual([bad, 'BAD_USER_INPUT']);
    }
  });

  it('a list of more than 100', async () => {
    const long = Array.from({ length: 101 }, () => 'PARTICIPANTS');
    expect(codeOf(await create(long))).toBe('BAD_USER_INPUT');
    expect(codeOf(await update(long))).toBe('BAD_USER_INPUT');
  });

  it('nothing was written by any refusal', async () => {
    expect(await required('provA', ids.provA)).toEqual(['CASES_FILED']);
    const mine = await n.cityA2.admin.run('{ campaigns(first: 100) { edges { node { title } } } }');
    expect(mine.campaigns.edges.map((e: any) => e.node.title)).not.toContain('甲二市宣传周');
  });
});
