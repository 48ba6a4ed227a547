import { GraphQLClient } from '@cascade/app';
import { codeOf, PASSWORD, startTestPlatform, TestPlatform } from './helpers/platform';
import { buildTree, TreeKey, TreeNode } from './helpers/tree';

/**
 * Issue 12 item 3: every write of every service — campaigns, media, feeds, reports, and org's
 * own — lands in the audit trail, read through org's one `auditLog` (which merges the entries
 * each service keeps in its own database) by the tenant's admins and its ancestors' admins,
 * never a sibling, a child or an editor; `changes` holds before and after per field; a refused
 * write leaves nothing; pages across services return every entry once, newest first.
 * (That an entry and its change commit together: audit-transactions.e2e.test.ts.)
 */
let t: TestPlatform;
let n: Record<TreeKey, TreeNode>;
let editor: GraphQLClient;
let editorId: string;
let base: string;
const ids: Record<string, string> = {};

const LOG = `query($type: String, $id: ID, $first: Int, $after: String) {
  auditLog(entityType: $type, entityId: $id, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id at action entityType entityId changes actor { id email } } }
  }
}`;

interface Entry {
  id: string;
  at: string;
  action: string;
  entityType: string;
  entityId: string;
  changes: string;
  actor: { id: string; email: string } | null;
}

async function entries(reader: GraphQLClient, variables: Record<string, unknown> = {}): Promise<Entry[]> {
  const data = await reader.run(LOG, { first: 100, ...variables });
  return data.auditLog.edges.map((e: { node: Entry }) => e.node);
}

/** Runs a write and answers the entries it added about one entity (read by cityA1's admin). */
async function added(type: string, id: () => string, write: () => Promise<unknown>): Promise<Entry[]> {
  const before = new Set((await entries(n.cityA1.admin, { type, id: id() })).map((e) => e.id));
  await write();
  return (await entries(n.cityA1.admin, { type, id: id() })).filter((e) => !before.has(e.id));
}

/** The one entry a write added, with its changes parsed. */
async function one(type: string, id: () => string, write: () => Promise<unknown>) {
  const list = await added(type, id, write);
  expect(list).toHaveLength(1);
  return { ...list[0], changes: JSON.parse(list[0].changes) as Record<string, [unknown, unknown]> };
}

const EDITOR = 'editor@citya1-audit.test';
const window = { startsOn: '2024-04-20', endsOn: '2024-04-26' };
const pdf = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n' +
    '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\nxref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n' +
    '0000000058 00000 n \n0000000115 00000 n \ntrailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n',
);

async function campaign(key: TreeKey, title: string, extra: Record<string, unknown> = {}) {
  const c = await n[key].admin.run('mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }', { i: { title, ...window, ...extra } });
  await n[key].admin.run('mutation($id: ID!) { publishCampaign(id: $id) { status } }', { id: c.createCampaign.id });
  return c.createCampaign.id as string;
}

beforeAll(async () => {
  t = await startTestPlatform('audittrail');
  n = await buildTree(t);
  base = t.platform.gateway.url.replace(/\/graphql$/, '');
  const user = await n.cityA1.admin.run('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
    i: { tenantId: n.cityA1.tenantId, email: EDITOR, name: '甲一市编辑', password: PASSWORD, role: 'EDITOR' },
  });
  editorId = user.createUser.id;
  editor = await t.signIn(EDITOR);
  ids.nation = await campaign('nation', '全国宣传周');
  ids.provA = await campaign('provA', '甲省宣传周', { implementsId: ids.nation });
});
afterAll(async () => {
  await t?.stop();
});

const byEditor = { actor: { id: () => editorId, email: EDITOR } };
const expectEditor = (entry: Pick<Entry, 'actor'>) => expect(entry.actor).toEqual({ id: byEditor.actor.id(), email: EDITOR });

describe('every write leaves one entry: actor, action, entity, changes (before and after)', () => {
  it('campaigns: create, update, status, activities, tasks, slogans, statistics, delete', async () => {
    const create = await one('Campaign', () => ids.cityA1 ?? '1', async () => {
      const c = await editor.run('mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }', { i: { title: '甲一市宣传周', ...window, implementsId: ids.provA } });
      ids.cityA1 = c.createCampaign.id;
    });
    expect(create).toMatchObject({ action: 'CREATE', entityType: 'Campaign', entityId: ids.cityA1 });
    expect(create.changes).toMatchObject({ title: [null, '甲一市宣传周'], startsOn: [null, '2024-04-20'], status: [null, 'DRAFT'] });
    expectEditor(create);

    const update = await one('Campaign', () => ids.cityA1, () => editor.run('mutation($i: UpdateCampaignInput!) { updateCampaign(input: $i) { id } }', { i: { id: ids.cityA1, title: '2024年甲一市宣传周', theme: '保护知识产权' } }));
    expect(update).toMatchObject({ action: 'UPDATE', entityId: ids.cityA1 });
    expect(update.changes).toEqual({ title: ['甲一市宣传周', '2024年甲一市宣传周'], theme: [null, '保护知识产权'] });

    const publish = await one('Campaign', () => ids.cityA1, () => editor.run('mutation($id: ID!) { publishCampaign(id: $id) { id } }', { id: ids.cityA1 }));
    expect(publish).toMatchObject({ action: 'STATUS' });
    expect(publish.changes).toEqual({ status: ['DRAFT', 'PUBLISHED'] });
    await editor.run('mutation($id: ID!) { setCampaignStatus(id: $id, status: IN_PROGRESS) { id } }', { id: ids.cityA1 });

    const activity = await one('Activity', () => ids.activity ?? '1', async () => {
      const a = await editor.run('mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }', {
        i: { campaignId: ids.cityA1, title: '开幕式', kind: 'OPENING_CEREMONY', startsAt: '2024-04-20T02:00:00Z', leadUnitId: n.cityA1.unitId },
      });
      ids.activity = a.createActivity.id;
    });
    expect(activity).toMatchObject({ action: 'CREATE', entityType: 'Activity', entityId: ids.activity });
    expect(activity.changes).toMatchObject({ title: [null, '开幕式'], kind: [null, 'OPENING_CEREMONY'], leadUnitId: [null, Number(n.cityA1.unitId)] });
    expectEditor(activity);

    const correction = await one('Activity', () => ids.activity, () => editor.run('mutation($i: UpdateActivityInput!) { updateActivity(input: $i) { id } }', { i: { id: ids.activity, location: '工人文化宫', targets: [{ indicator: 'SIGNATURES', value: 10000 }] } }));
    expect(correction).toMatchObject({ action: 'UPDATE' });
    expect(correction.changes).toEqual({ location: [null, '工人文化宫'], targets: [[], [{ indicator: 'SIGNATURES', value: 10000 }]] });

    const recorded = await one('Statistic', () => ids.statistic ?? '1', async () => {
      const s = await editor.run('mutation($i: RecordStatisticInput!) { recordStatistic(input: $i) { id } }', { i: { activityId: ids.activity, indicator: 'PARTICIPANTS', value: 3600, approximate: true } });
      ids.statistic = s.recordStatistic.id;
    });
    expect(recorded).toMatchObject({ action: 'RECORD', entityType: 'Statistic' });
    expect(recorded.changes).toEqual({ value: [0, 3600], approximate: [false, true] });

    const incremented = await one('Statistic', () => ids.statistic, () => editor.run('mutation($i: IncrementStatisticInput!) { incrementStatistic(input: $i) { value } }', { i: { activityId: ids.activity, indicator: 'PARTICIPANTS', by: 5, idempotencyKey: 'audit-once' } }));
    expect(incremented).toMatchObject({ action: 'INCREMENT' });
    expect(incremented.changes).toEqual({ value: [3600, 3605] });
    expectEditor(incremented);
    // the same key again adds nothing, so it records nothing
    expect(await added('Statistic', () => ids.statistic, () => editor.run('mutation($i: IncrementStatisticInput!) { incrementStatistic(input: $i) { value } }', { i: { activityId: ids.activity, indicator: 'PARTICIPANTS', by: 5, idempotencyKey: 'audit-once' } }))).toEqual([]);

    const task = await one('Task', () => ids.task ?? '1', async () => {
      const r = await editor.run('mutation($i: AssignTaskInput!) { assignTask(input: $i) { id } }', { i: { campaignId: ids.cityA1, unitId: n.cityA1.unitId, title: '布置展板', dueOn: '2024-04-22' } });
      ids.task = r.assignTask.id;
    });
    expect(task.changes).toMatchObject({ title: [null, '布置展板'], dueOn: [null, '2024-04-22'] });
    const taskUpdate = await one('Task', () => ids.task, () => editor.run('mutation($i: UpdateTaskInput!) { updateTask(input: $i) { id } }', { i: { id: ids.task, dueOn: null } }));
    expect(taskUpdate).toMatchObject({ action: 'UPDATE' });
    expect(taskUpdate.changes).toEqual({ dueOn: ['2024-04-22', null] });
    const done = await one('Task', () => ids.task, () => editor.run('mutation($id: ID!) { completeTask(id: $id) { id } }', { id: ids.task }));
    expect(Object.keys(done.changes)).toEqual(['doneAt']);

    const slogan = await one('Slogan', () => ids.slogan ?? '1', async () => {
      const r = await editor.run('mutation($i: AddSloganInput!) { addSlogan(input: $i) { id } }', { i: { campaignId: ids.cityA1, text: '保护知识产权就是保护创新' } });
      ids.slogan = r.addSlogan.id;
    });
    expect(slogan.changes).toMatchObject({ text: [null, '保护知识产权就是保护创新'] });

    const spare = await editor.run('mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }', { i: { campaignId: ids.cityA1, title: '座谈会', kind: 'FORUM', startsAt: '2024-04-21T02:00:00Z' } });
    const removal = await one('Activity', () => spare.createActivity.id, () => editor.run('mutation($id: ID!) { deleteActivity(id: $id) }', { id: spare.createActivity.id }));
    expect(removal).toMatchObject({ action: 'DELETE' });
    expect(removal.changes).toMatchObject({ title: ['座谈会', null], kind: ['FORUM', null] });
  });

  it('media: requestUpload, the upload completing, updateAsset, recordDistribution (and the statistic it counts, as its user), deleteAsset', async () => {
    const requested = await one('Asset', () => ids.asset ?? '1', async () => {
      const r = await editor.run('mutation($i: RequestUploadInput!) { requestUpload(input: $i) { uploadUrl asset { id } } }', {
        i: { title: '宣传海报', kind: 'POSTER', fileName: 'poster.pdf', contentType: 'application/pdf', byteSize: pdf.length, activityId: ids.activity, quantityProduced: 100 },
      });
      ids.asset = r.requestUpload.asset.id;
      ids.uploadUrl = r.requestUpload.uploadUrl;
    });
    expect(requested).toMatchObject({ action: 'CREATE', entityType: 'Asset', entityId: ids.asset });
    expect(requested.changes).toMatchObject({ title: [null, '宣传海报'], status: [null, 'PENDING'], activityId: [null, Number(ids.activity)] });
    expectEditor(requested);

    const uploaded = await one('Asset', () => ids.asset, async () => {
      const url = ids.uploadUrl.startsWith('http') ? ids.uploadUrl : `${base}${ids.uploadUrl}`;
      const res = await fetch(url, { method: 'PUT', body: new Uint8Array(pdf) });
      expect(res.status).toBe(200);
    });
    expect(uploaded).toMatchObject({ action: 'UPLOAD' });
    expect(uploaded.changes.status).toEqual(['PENDING', 'READY']);
    expect(uploaded.changes.sha256[0]).toBeNull();
    expectEditor(uploaded); // the user the upload URL was made for

    const updated = await one('Asset', () => ids.asset, () => editor.run('mutation($i: UpdateAssetInput!) { updateAsset(input: $i) { id } }', { i: { id: ids.asset, title: '宣传海报（第二版）', tags: ['海报'] } }));
    expect(updated.changes).toEqual({ title: ['宣传海报', '宣传海报（第二版）'], tags: [[], ['海报']] });

    const distributed = await one('Asset', () => ids.asset, () => editor.run('mutation($i: RecordDistributionInput!) { recordDistribution(input: $i) { id } }', { i: { assetId: ids.asset, quantity: 40 } }));
    expect(distributed).toMatchObject({ action: 'DISTRIBUTE' });
    expect(distributed.changes).toEqual({ quantityDistributed: [0, 40] });
    // campaigns counts it (an event) as the user who handed the copies out
    let counted: Entry | undefined;
    for (const started = Date.now(); !counted && Date.now() - started < 20000; ) {
      counted = (await entries(n.cityA1.admin, { type: 'Statistic' })).find((e) => e.action === 'INCREMENT' && JSON.parse(e.changes).value?.[1] === 40);
      if (!counted) await new Promise((r) => setTimeout(r, 50));
    }
    expect(counted).toBeDefined();
    expectEditor(counted!);

    const doomed = await editor.run('mutation($i: RequestUploadInput!) { requestUpload(input: $i) { asset { id } } }', { i: { title: '作废', kind: 'POSTER', fileName: 'x.pdf', contentType: 'application/pdf', byteSize: pdf.length } });
    const deleted = await one('Asset', () => doomed.requestUpload.asset.id, () => editor.run('mutation($id: ID!) { deleteAsset(id: $id) }', { id: doomed.requestUpload.asset.id }));
    expect(deleted).toMatchObject({ action: 'DELETE' });
    expect(deleted.changes).toMatchObject({ title: ['作废', null], status: ['PENDING', null] });
  });

  it('feeds: postFeedEntry, createScreenLink, revokeScreenLink', async () => {
    const posted = await one('FeedEntry', () => ids.post ?? '1', async () => {
      const r = await editor.run('mutation($i: PostFeedEntryInput!) { postFeedEntry(input: $i) { id } }', { i: { activityId: ids.activity, text: '开幕式现场签名已超三千人' } });
      ids.post = r.postFeedEntry.id;
    });
    expect(posted).toMatchObject({ action: 'CREATE', entityType: 'FeedEntry' });
    expect(posted.changes).toMatchObject({ text: [null, '开幕式现场签名已超三千人'], activityId: [null, Number(ids.activity)] });
    expectEditor(posted);

    const link = await one('ScreenLink', () => ids.link ?? '1', async () => {
      const r = await editor.run('mutation($i: CreateScreenLinkInput!) { createScreenLink(input: $i) { id } }', { i: { activityId: ids.activity } });
      ids.link = r.createScreenLink.id;
    });
    expect(link.changes).toMatchObject({ activityId: [null, Number(ids.activity)] });
    const revoked = await one('ScreenLink', () => ids.link, () => editor.run('mutation($id: ID!) { revokeScreenLink(id: $id) { id } }', { id: ids.link }));
    expect(revoked).toMatchObject({ action: 'REVOKE' });
    expect(revoked.changes.revokedAt[0]).toBeNull();
    expect(typeof revoked.changes.revokedAt[1]).toBe('string');
  });

  it('reports: generate, edit a section, submit (the statistics lock too), return, accept — the decisions of the tenant above in the report’s trail', async () => {
    const generated = await one('Report', () => ids.report ?? '1', async () => {
      const r = await editor.run('mutation($id: ID!) { generateReport(campaignId: $id) { id } }', { id: ids.cityA1 });
      ids.report = r.generateReport.id;
    });
    expect(generated).toMatchObject({ action: 'GENERATE', entityType: 'Report', entityId: ids.report });
    expect(generated.changes).toMatchObject({ status: [null, 'DRAFT'] });
    expectEditor(generated);

    const edited = await one('Report', () => ids.report, () => editor.run('mutation($i: UpdateReportSectionInput!) { updateReportSection(input: $i) { id } }', { i: { reportId: ids.report, key: 'lessons', body: '领导重视是关键。' } }));
    expect(edited).toMatchObject({ action: 'UPDATE_SECTION' });
    expect(edited.changes).toEqual({ 'sections.lessons': ['', '领导重视是关键。'] });

    const locks = await added('Campaign', () => ids.cityA1, async () => {
      const submitted = await one('Report', () => ids.report, () => n.cityA1.admin.run('mutation($i: SubmitReportInput!) { submitReport(input: $i) { id } }', { i: { id: ids.report, acknowledgeMissing: true } }));
      expect(submitted).toMatchObject({ action: 'SUBMIT', actor: { email: 'admin@citya1.test' } });
      expect(submitted.changes.status).toEqual(['DRAFT', 'SUBMITTED']);
    });
    expect(locks.map((e) => [e.action, JSON.parse(e.changes)])).toEqual([['LOCK_STATISTICS', { reportLocked: [false, true] }]]);

    const returned = await one('Report', () => ids.report, () => n.provA.admin.run('mutation($i: ReturnReportInput!) { returnReport(input: $i) { id } }', { i: { id: ids.report, reason: '请补充签名人数' } }));
    expect(returned).toMatchObject({ action: 'RETURN' });
    expect(returned.changes).toMatchObject({ status: ['SUBMITTED', 'RETURNED'], returnReason: [null, '请补充签名人数'] });
    // the province's admin acted: the city does not see that user, the province does
    expect(returned.actor).toBeNull();
    const [asSeenAbove] = await entries(n.provA.admin, { type: 'Report', id: ids.report });
    expect(asSeenAbove).toMatchObject({ action: 'RETURN', actor: { email: 'admin@provA.test'.toLowerCase() } });

    await n.cityA1.admin.run('mutation($i: SubmitReportInput!) { submitReport(input: $i) { id } }', { i: { id: ids.report, acknowledgeMissing: true } });
    const accepted = await one('Report', () => ids.report, () => n.provA.admin.run('mutation($id: ID!) { acceptReport(id: $id) { id } }', { id: ids.report }));
    expect(accepted.changes).toMatchObject({ status: ['SUBMITTED', 'ACCEPTED'] });
  });

  it('campaigns: closing records who closed it and when', async () => {
    const closed = await one('Campaign', () => ids.cityA1, () => n.cityA1.admin.run('mutation($id: ID!) { setCampaignStatus(id: $id, status: CLOSED) { id } }', { id: ids.cityA1 }));
    expect(closed).toMatchObject({ action: 'STATUS', actor: { email: 'admin@citya1.test' } });
    expect(closed.changes).toMatchObject({ status: ['IN_PROGRESS', 'CLOSED'], closedById: [null, expect.any(Number)] });
  });

  it('increments in one group commit: one entry each, with its own user — who added what is never lost', async () => {
    const c = await campaign('cityA1', '万人签名');
    const act = await n.cityA1.admin.run('mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }', { i: { campaignId: c, title: '万人签名', kind: 'SIGNATURE_DRIVE', startsAt: '2024-04-20T02:00:00Z' } });
    const activityId = act.createActivity.id;
    const first = await editor.run('mutation($i: IncrementStatisticInput!) { incrementStatistic(input: $i) { id value } }', { i: { activityId, indicator: 'SIGNATURES', by: 1 } });
    const statisticId = first.incrementStatistic.id;
    const INC = 'mutation($i: IncrementStatisticInput!) { incrementStatistic(input: $i) { value } }';
    const sends = Array.from({ length: 60 }, (_, i) => (i % 2 ? editor : n.cityA1.admin).run(INC, { i: { activityId, indicator: 'SIGNATURES', by: i % 2 ? 2 : 3 } }));
    await Promise.all(sends);
    const log = (await entries(n.cityA1.admin, { type: 'Statistic', id: statisticId })).map((e) => ({ actor: e.actor?.email, value: JSON.parse(e.changes).value as [number, number] }));
    expect(log).toHaveLength(61);
    // the entries chain from 0 to the final value, each step one caller's own amount
    const steps = [...log].sort((a, b) => a.value[0] - b.value[0]);
    steps.forEach((step, i) => expect(step.value[0]).toBe(i === 0 ? 0 : steps[i - 1].value[1]));
    const total = (who: string | undefined) => log.filter((e) => e.actor === who).reduce((sum, e) => sum + e.value[1] - e.value[0], 0);
    expect({ editor: total(EDITOR), admin: total('admin@citya1.test') }).toEqual({ editor: 1 + 30 * 2, admin: 30 * 3 });
    expect(steps.at(-1)!.value[1]).toBe(1 + 60 + 90);
  });
});

describe('a refused write leaves no entry', () => {
  it('refusals of every service (not visible, not owned, bad input, CLOSED, locked) add nothing to anyone’s trail', async () => {
    const total = async () => (await n.nation.admin.run(LOG, { first: 1 })).auditLog.totalCount as number;
    const before = await total();
    const refusals: [GraphQLClient, string, Record<string, unknown>, string][] = [
      [n.cityA2.admin, 'mutation($i: UpdateCampaignInput!) { updateCampaign(input: $i) { id } }', { i: { id: ids.cityA1, title: '篡改' } }, 'NOT_FOUND'],
      [n.provA.admin, 'mutation($i: UpdateActivityInput!) { updateActivity(input: $i) { id } }', { i: { id: ids.activity, title: '篡改' } }, 'FORBIDDEN'],
      [editor, 'mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }', { i: { campaignId: ids.cityA1, title: '补充', kind: 'FORUM', startsAt: '2024-04-21T02:00:00Z' } }, 'CONFLICT'],
      [editor, 'mutation($i: IncrementStatisticInput!) { incrementStatistic(input: $i) { value } }', { i: { activityId: ids.activity, indicator: 'PARTICIPANTS', by: 1 } }, 'CONFLICT'],
      [editor, 'mutation($i: RecordStatisticInput!) { recordStatistic(input: $i) { value } }', { i: { activityId: ids.activity, indicator: 'PARTICIPANTS', value: -1 } }, 'BAD_USER_INPUT'],
      [n.cityA2.admin, 'mutation($i: RecordDistributionInput!) { recordDistribution(input: $i) { id } }', { i: { assetId: ids.asset, quantity: 1 } }, 'NOT_FOUND'],
      [editor, 'mutation($i: RecordDistributionInput!) { recordDistribution(input: $i) { id } }', { i: { assetId: ids.asset, quantity: 61 } }, 'BAD_USER_INPUT'],
      [n.provA.admin, 'mutation($id: ID!) { deleteAsset(id: $id) }', { id: ids.asset }, 'FORBIDDEN'],
      [n.cityA2.admin, 'mutation($i: PostFeedEntryInput!) { postFeedEntry(input: $i) { id } }', { i: { activityId: ids.activity, text: '冒充' } }, 'NOT_FOUND'],
      [n.cityA2.admin, 'mutation($id: ID!) { revokeScreenLink(id: $id) { id } }', { id: ids.link }, 'NOT_FOUND'],
      [editor, 'mutation($i: UpdateReportSectionInput!) { updateReportSection(input: $i) { id } }', { i: { reportId: ids.report, key: 'lessons', body: '改' } }, 'CONFLICT'],
      [n.cityA2.admin, 'mutation($id: ID!) { acceptReport(id: $id) { id } }', { id: ids.report }, 'NOT_FOUND'],
      [n.cityA1.admin, 'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', { i: { tenantId: n.cityA2.tenantId, email: 'x@audit.test', name: 'x', password: PASSWORD, role: 'VIEWER' } }, 'NOT_FOUND'],
    ];
    for (const [who, mutation, variables, code] of refusals) expect([mutation, codeOf(await who.request(mutation, variables))]).toEqual([mutation, code]);
    expect(await total()).toBe(before);
  });
});

describe('who reads the entries', () => {
  const written = () => [
    ['Campaign', ids.cityA1],
    ['Activity', ids.activity],
    ['Statistic', ids.statistic],
    ['Asset', ids.asset],
    ['FeedEntry', ids.post],
    ['ScreenLink', ids.link],
    ['Report', ids.report],
  ];

  it.each([
    ['the tenant’s admin', 'cityA1', true],
    ['its parent’s admin', 'provA', true],
    ['its grandparent’s admin', 'nation', true],
    ['a sibling’s admin', 'cityA2', false],
    ['a sibling province’s admin', 'provB', false],
    ['its child’s admin', 'districtA1', false],
  ] as const)('%s: %s', async (_label, reader, sees) => {
    for (const [type, id] of written()) {
      const log = await entries(n[reader].admin, { type, id });
      expect([type, log.length > 0]).toEqual([type, sees]);
    }
  });

  it('an editor, a viewer, root and anonymous callers read none of them', async () => {
    expect(codeOf(await editor.request(LOG))).toBe('FORBIDDEN');
    const rootLog = await entries(t.root, { type: 'Activity', id: ids.activity });
    expect(rootLog).toEqual([]); // root reads org's entries only: it has no scope over campaign data
    expect(codeOf(await t.gql.request(LOG))).toBe('UNAUTHENTICATED');
  });

  it('the child’s own entries are its own: the city reads the district’s, the district not the city’s', async () => {
    const unit = await n.districtA1.admin.run('mutation { createUnit(input: { name: "区审计办" }) { id } }');
    expect(await entries(n.cityA1.admin, { type: 'Unit', id: unit.createUnit.id })).toHaveLength(1);
    expect(await entries(n.districtA1.admin, { type: 'Campaign', id: ids.cityA1 })).toEqual([]);
  });

  it.each(['campaigns', 'feeds', 'media', 'reports'])('the hidden %sAuditEntries is not in the public API (GRAPHQL_VALIDATION_FAILED)', async (service) => {
    const answer = await n.cityA1.admin.request(`{ ${service}AuditEntries(first: 5) { totalCount rows { id changes } } }`);
    expect(codeOf(answer)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(answer.data ?? null).toBeNull();
  });
});

describe('one log across services', () => {
  const SERVICES = ['campaigns', 'feeds', 'media', 'org', 'reports'];
  const serviceOf = (entry: Entry) => (/^[a-z]+:/.test(entry.id) ? entry.id.split(':')[0] : 'org');
  const rowOf = (entry: Entry) => Number(entry.id.split(':').at(-1));

  /** Every entry the reader reads, page after page of `first`. */
  async function walk(reader: GraphQLClient, first: number): Promise<{ entries: Entry[]; totalCount: number }> {
    const all: Entry[] = [];
    let after: string | null = null;
    let totalCount = 0;
    for (let pages = 0; pages < 200; pages++) {
      const data: any = await reader.run(LOG, { first, after });
      all.push(...data.auditLog.edges.map((e: { node: Entry }) => e.node));
      totalCount = data.auditLog.totalCount;
      if (!data.auditLog.pageInfo.hasNextPage) break;
      after = data.auditLog.pageInfo.endCursor;
    }
    return { entries: all, totalCount };
  }

  it('pages of 7 return every entry once, newest first (at, then service, then id), as pages of 100 do', async () => {
    const { entries: all, totalCount } = await walk(n.cityA1.admin, 7);
    expect(totalCount).toBe(all.length);
    expect(all.length).toBeGreaterThan(100);
    expect(all.map((e) => e.id)).toEqual((await walk(n.cityA1.admin, 100)).entries.map((e) => e.id));
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    expect(new Set(all.map(serviceOf))).toEqual(new Set(SERVICES));
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1], all[i]];
      const order = Date.parse(b.at) - Date.parse(a.at) || SERVICES.indexOf(serviceOf(a)) - SERVICES.indexOf(serviceOf(b)) || rowOf(b) - rowOf(a);
      expect([a.id, b.id, order < 0]).toEqual([a.id, b.id, true]);
    }
  });

  it('the province reads the city’s entries among its own, in the same order', async () => {
    const city = (await walk(n.cityA1.admin, 100)).entries.map((e) => e.id);
    const cities = new Set(city);
    const province = (await walk(n.provA.admin, 100)).entries.map((e) => e.id);
    expect(province.filter((id) => cities.has(id))).toEqual(city);
    expect(province.length).toBeGreaterThan(city.length);
  });

  it('entityType and entityId filter every service’s entries', async () => {
    const statistics = await entries(n.cityA1.admin, { type: 'Statistic' });
    expect(statistics.length).toBeGreaterThan(60);
    expect(new Set(statistics.map((e) => e.entityType))).toEqual(new Set(['Statistic']));
    const report = await entries(n.cityA1.admin, { type: 'Report', id: ids.report });
    expect(report.map((e) => e.action)).toEqual(['ACCEPT', 'SUBMIT', 'RETURN', 'SUBMIT', 'UPDATE_SECTION', 'GENERATE']);
    const byId = await entries(n.cityA1.admin, { id: ids.report });
    expect(byId.map((e) => e.entityType)).toContain('Report');
  });

  it('a cursor that is not one of the log’s answers BAD_USER_INPUT', async () => {
    expect(codeOf(await n.cityA1.admin.request(LOG, { after: Buffer.from('a:1:nowhere:1').toString('base64url') }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await n.cityA1.admin.request(LOG, { after: Buffer.from('c:12').toString('base64url') }))).toBe('BAD_USER_INPUT');
  });
});
