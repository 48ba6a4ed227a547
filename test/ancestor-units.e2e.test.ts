import { GraphQLClient } from '@cascade/app';
import { codeOf, PASSWORD, startTestPlatform, TestPlatform } from './helpers/platform';
import { buildTree, TreeKey, TreeNode } from './helpers/tree';

/**
 * Issue 12 item 7: units of an ancestor as co-organisers (兵团's offices at 八师's ceremony).
 * `supportingUnitIds` of createActivity/updateActivity may name a unit of a tenant above the
 * caller's; `Activity.supportingUnits` shows it by name to every reader of the activity (the
 * activity's own tenant, the unit's tenant, those above). Nothing else of the ancestor opens:
 * its other units, its people and committees stay unreadable to the child; a sibling's, a
 * cousin's, a descendant's or a forged unit is refused; the lead unit stays the tenant's own.
 *
 *   nation ─┬─ provA ─┬─ cityA1 ── districtA1
 *           │         └─ cityA2
 *           └─ provB
 */
let t: TestPlatform;
let n: Record<TreeKey, TreeNode>;
const ids: Record<string, string> = {};

const CREATE = 'mutation($i: CreateActivityInput!) { createActivity(input: $i) { id supportingUnits { id name } } }';
const UPDATE = 'mutation($i: UpdateActivityInput!) { updateActivity(input: $i) { id supportingUnits { id name } } }';
const READ = 'query($id: ID!) { activity(id: $id) { title leadUnit { name } supportingUnits { id name tenant { id name } } } }';

async function unit(key: TreeKey, name: string) {
  return (await n[key].admin.run('mutation($n: String!) { createUnit(input: { name: $n }) { id } }', { n: name })).createUnit.id as string;
}

const activityInput = (extra: Record<string, unknown>) => ({
  i: { campaignId: ids.campaign, title: '开幕式', kind: 'OPENING_CEREMONY', startsAt: '2024-04-20T02:00:00Z', leadUnitId: n.cityA1.unitId, ...extra },
});

beforeAll(async () => {
  t = await startTestPlatform('ancestorunits');
  n = await buildTree(t);
  ids.provOffice = await unit('provA', '甲省知识产权局');
  ids.provOther = await unit('provA', '甲省机要局'); // never named: must stay unseen below
  ids.nationOffice = await unit('nation', '全国整规办公室');
  ids.cityOwn = await unit('cityA1', '甲一市工商局');
  const c = await n.cityA1.admin.run('mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }', { i: { title: '甲一市宣传周', startsOn: '2024-04-20', endsOn: '2024-04-26' } });
  ids.campaign = c.createCampaign.id;
  await n.cityA1.admin.run('mutation($id: ID!) { publishCampaign(id: $id) { id } }', { id: ids.campaign });
  const a = await n.cityA1.admin.run(CREATE, activityInput({ supportingUnitIds: [ids.cityOwn, ids.provOffice, ids.nationOffice] }));
  ids.activity = a.createActivity.id;
});
afterAll(async () => {
  await t?.stop();
});

describe('a unit of a tenant above may co-organise', () => {
  it('createActivity takes the parent’s and the grandparent’s units beside the tenant’s own, in the order given', async () => {
    const { supportingUnits } = (await n.cityA1.admin.run(READ, { id: ids.activity })).activity;
    expect(supportingUnits.map((u: { name: string }) => u.name)).toEqual(['甲一市工商局', '甲省知识产权局', '全国整规办公室']);
  });

  it.each([
    ['the activity’s own tenant', 'cityA1'],
    ['the unit’s tenant (the parent)', 'provA'],
    ['the grandparent', 'nation'],
  ] as const)('%s reads it by name, with its tenant’s name', async (_label, reader) => {
    const { activity } = await n[reader].admin.run(READ, { id: ids.activity });
    expect(activity.supportingUnits[1]).toEqual({ id: ids.provOffice, name: '甲省知识产权局', tenant: { id: n.provA.tenantId, name: '甲省' } });
  });

  it('an editor and a viewer of the activity’s tenant read it too', async () => {
    for (const role of ['EDITOR', 'VIEWER']) {
      const email = `${role.toLowerCase()}@citya1-ancestor.test`;
      await n.cityA1.admin.run('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', { i: { tenantId: n.cityA1.tenantId, email, name: role, password: PASSWORD, role } });
      const reader = await t.signIn(email);
      const { activity } = await reader.run(READ, { id: ids.activity });
      expect(activity.supportingUnits.map((u: { name: string }) => u.name)).toEqual(['甲一市工商局', '甲省知识产权局', '全国整规办公室']);
    }
  });

  it('updateActivity keeps them (checked again), changes them, and takes new ones', async () => {
    const kept = await n.cityA1.admin.run(UPDATE, { i: { id: ids.activity, title: '开幕式（改）' } });
    expect(kept.updateActivity.supportingUnits.map((u: { id: string }) => u.id)).toEqual([ids.cityOwn, ids.provOffice, ids.nationOffice]);
    const changed = await n.cityA1.admin.run(UPDATE, { i: { id: ids.activity, supportingUnitIds: [ids.provOffice] } });
    expect(changed.updateActivity.supportingUnits).toEqual([{ id: ids.provOffice, name: '甲省知识产权局' }]);
    const back = await n.cityA1.admin.run(UPDATE, { i: { id: ids.activity, supportingUnitIds: [ids.cityOwn, ids.provOffice, ids.nationOffice] } });
    expect(back.updateActivity.supportingUnits).toHaveLength(3);
  });

  it('the work summary names it among the 配合 units', async () => {
    const report = await n.cityA1.admin.run('mutation($id: ID!) { generateReport(campaignId: $id) { text } }', { id: ids.campaign });
    expect(report.generateReport.text).toContain('甲省知识产权局');
  });
});

describe('nothing else opens, and other units stay refused', () => {
  const refused: [string, () => string, string][] = [
    ['a sibling’s unit', () => n.cityA2.unitId, 'NOT_FOUND'],
    ['a cousin’s unit (the parent’s sibling’s)', () => n.provB.unitId, 'NOT_FOUND'],
    ['a descendant’s unit', () => n.districtA1.unitId, 'BAD_USER_INPUT'],
    ['a forged unit id', () => '999999', 'NOT_FOUND'],
    ['a malformed unit id', () => 'abc', 'BAD_USER_INPUT'],
  ];

  it.each(refused)('createActivity with %s as a supporting unit: refused, nothing added', async (_label, unitId, code) => {
    const before = (await n.cityA1.admin.run('query($id: ID!) { campaign(id: $id) { activities { id } } }', { id: ids.campaign })).campaign.activities;
    expect(codeOf(await n.cityA1.admin.request(CREATE, activityInput({ supportingUnitIds: [ids.provOffice, unitId()] })))).toBe(code);
    expect((await n.cityA1.admin.run('query($id: ID!) { campaign(id: $id) { activities { id } } }', { id: ids.campaign })).campaign.activities).toEqual(before);
  });

  it.each(refused)('updateActivity with %s as a supporting unit: refused, unchanged', async (_label, unitId, code) => {
    const before = (await n.cityA1.admin.run(READ, { id: ids.activity })).activity;
    expect(codeOf(await n.cityA1.admin.request(UPDATE, { i: { id: ids.activity, supportingUnitIds: [unitId()] } }))).toBe(code);
    expect((await n.cityA1.admin.run(READ, { id: ids.activity })).activity).toEqual(before);
  });

  it('the lead unit stays the tenant’s own: the parent’s unit as lead is NOT_FOUND (as is a task’s or a slogan’s unit)', async () => {
    expect(codeOf(await n.cityA1.admin.request(CREATE, activityInput({ leadUnitId: ids.provOffice })))).toBe('NOT_FOUND');
    expect(codeOf(await n.cityA1.admin.request('mutation($i: AssignTaskInput!) { assignTask(input: $i) { id } }', { i: { campaignId: ids.campaign, unitId: ids.provOffice, title: '布展' } }))).toBe('NOT_FOUND');
    expect(codeOf(await n.cityA1.admin.request('mutation($i: AddSloganInput!) { addSlogan(input: $i) { id } }', { i: { campaignId: ids.campaign, unitId: ids.provOffice, text: '标语' } }))).toBe('NOT_FOUND');
  });

  it('the child still cannot read the parent’s unit list, its committees or its people', async () => {
    const data = await n.cityA1.admin.run('query($id: ID!) { tenant(id: $id) { name units { id } committees { id } } me { tenant { parent { units { id } committees { id members { person { name } } } } } } }', { id: n.provA.tenantId });
    expect(data.tenant).toBeNull(); // tenant(id) shows the caller's own subtree only
    expect(data.me.tenant.parent).toEqual({ units: [], committees: [] });
    // a person of the parent (its committee's 组长) with the co-organising unit: not reachable by any field
    const person = await n.provA.admin.run('mutation($u: ID) { createPerson(input: { name: "甲省联络员", unitId: $u }) { id } }', { u: ids.provOffice });
    expect(codeOf(await n.cityA1.admin.request('mutation($c: ID!, $p: ID!) { addCommitteeMember(input: { committeeId: $c, personId: $p, role: "成员" }) { role } }', { c: n.cityA1.committeeId, p: person.createPerson.id }))).toBe('NOT_FOUND');
    expect(codeOf(await n.cityA1.admin.request('mutation($u: ID) { createPerson(input: { name: "借用", unitId: $u }) { id } }', { u: ids.provOffice }))).toBe('NOT_FOUND');
  });

  it('the child sees the parent’s named unit on its activity only: the parent’s other unit appears nowhere it reads', async () => {
    const everything = JSON.stringify(await n.cityA1.admin.run(`{
      me { tenant { units { id name } parent { units { id name } } ancestors { units { id name } } } }
      campaigns(first: 100) { edges { node { activities { leadUnit { id name } supportingUnits { id name } } tasks { unit { id name } } slogans { unit { id name } } } } }
    }`));
    expect(everything).toContain('甲省知识产权局');
    expect(everything).not.toContain('甲省机要局');
    expect(everything).not.toContain(`"id":"${ids.provOther}"`);
  });

  it('a sibling and a child cannot read the activity, so not its co-organisers either', async () => {
    for (const reader of [n.cityA2.admin, n.districtA1.admin, n.provB.admin] as GraphQLClient[]) {
      expect((await reader.run(READ, { id: ids.activity })).activity).toBeNull();
    }
  });
});
