import { GraphQLClient } from '@cascade/app';
import { codeOf, PASSWORD, startTestPlatform, TestPlatform } from './helpers/platform';
import { buildTree, TreeKey, TreeNode } from './helpers/tree';

/**
 * Issue 11: work summaries through the real gateway — generated from data, edited by hand,
 * submitted up, returned and accepted there, statistics locked while the parent has the
 * report, and who reads what (own tenant always, ancestors once sent up, nobody else).
 */
let t: TestPlatform;
let n: Record<TreeKey, TreeNode>;
let editor: GraphQLClient;
const ids: Record<string, string> = {};

const REPORT_FIELDS = `id title status dueOn submittedAt late returnReason text downloadUrl
  tenant { id } campaign { id }
  sections { key heading body edited }
  figures { indicator value approximate text }
  missing { indicator activity { id } message }`;
const GENERATE = `mutation($id: ID!) { generateReport(campaignId: $id) { ${REPORT_FIELDS} } }`;
const UPDATE_SECTION = `mutation($i: UpdateReportSectionInput!) { updateReportSection(input: $i) { ${REPORT_FIELDS} } }`;
const SUBMIT = `mutation($i: SubmitReportInput!) { submitReport(input: $i) { ${REPORT_FIELDS} } }`;
const RETURN = `mutation($i: ReturnReportInput!) { returnReport(input: $i) { ${REPORT_FIELDS} } }`;
const ACCEPT = `mutation($id: ID!) { acceptReport(id: $id) { ${REPORT_FIELDS} } }`;
const REPORT = `query($id: ID!) { report(id: $id) { ${REPORT_FIELDS} } }`;
const CAMPAIGN_REPORT = 'query($id: ID!) { campaign(id: $id) { id report { id status } } }';
const REPORTING = 'query($id: ID!) { campaign(id: $id) { reporting { tenant { id name } campaign { id } report { id status } state submittedAt late } } }';
const REC = 'mutation($i: RecordStatisticInput!) { recordStatistic(input: $i) { value } }';
const INC = 'mutation($i: IncrementStatisticInput!) { incrementStatistic(input: $i) { value } }';

async function campaign(key: TreeKey, title: string, extra: Record<string, unknown> = {}) {
  const c = await n[key].admin.run('mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }', {
    i: { title, theme: '保护知识产权，促进创新发展', focusPoints: [], startsOn: '2024-04-20', endsOn: '2024-04-26', ...extra },
  });
  await n[key].admin.run('mutation($id: ID!) { publishCampaign(id: $id) { status } }', { id: c.createCampaign.id });
  return c.createCampaign.id as string;
}

async function activity(key: TreeKey, campaignId: string, fields: Record<string, unknown>, statistics: [string, number, boolean][]) {
  const a = await n[key].admin.run('mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }', {
    i: { campaignId, leadUnitId: n[key].unitId, ...fields },
  });
  for (const [indicator, value, approximate] of statistics) {
    await n[key].admin.run(REC, { i: { activityId: a.createActivity.id, indicator, value, approximate } });
  }
  return a.createActivity.id as string;
}

const generate = async (client: GraphQLClient, campaignId: string) => (await client.run(GENERATE, { id: campaignId })).generateReport;

beforeAll(async () => {
  t = await startTestPlatform('reports');
  n = await buildTree(t);
  await n.cityA1.admin.run('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
    i: { tenantId: n.cityA1.tenantId, email: 'editor@citya1.test', name: '甲一市编辑', password: PASSWORD, role: 'EDITOR' },
  });
  editor = await t.signIn('editor@citya1.test');
  ids.nation = await campaign('nation', '2024年全国保护知识产权宣传周', { reportDueOn: '2024-04-30', requiredIndicators: ['PARTICIPANTS', 'MATERIALS_DISTRIBUTED'] });
  ids.provA = await campaign('provA', '甲省2024年保护知识产权宣传周', { implementsId: ids.nation });
  ids.cityA1 = await campaign('cityA1', '2024年甲一市保护知识产权宣传周', { implementsId: ids.provA, requiredIndicators: ['VISITORS', 'CASES_FILED'] });
  ids.districtA1 = await campaign('districtA1', '甲一区2024年保护知识产权宣传周活动方案', { implementsId: ids.cityA1, reportDueOn: '2099-04-30' });
  ids.opening = await activity('cityA1', ids.cityA1, { title: '宣传周开幕式', kind: 'OPENING_CEREMONY', startsAt: '2024-04-20T02:00:00Z', location: '工人文化宫' }, [
    ['PARTICIPANTS', 3600, true],
    ['DISPLAY_BOARDS', 130, true],
    ['MATERIALS_DISTRIBUTED', 20000, true],
  ]);
  ids.exhibition = await activity('cityA1', ids.cityA1, { title: '成果巡回展', kind: 'EXHIBITION', startsAt: '2024-04-22T02:00:00Z', endsAt: '2024-04-23T10:00:00Z', location: '大学图书馆' }, []);
  ids.training = await activity('districtA1', ids.districtA1, { title: '企业知识产权培训', kind: 'TRAINING', startsAt: '2024-04-24T02:00:00Z' }, [
    ['ENTERPRISES_TRAINED', 15, false],
    ['TRAINEES', 56, false],
  ]);
}, 180_000);

afterAll(async () => {
  await t?.stop();
});

describe('generateReport writes the summary from data', () => {
  it('states each figure as an official document writes it, and flags what is missing instead of leaving a blank', async () => {
    const report = await generate(editor, ids.cityA1);
    ids.report = report.id;
    expect(report).toMatchObject({ status: 'DRAFT', title: '2024年甲一市保护知识产权宣传周活动工作总结', tenant: { id: n.cityA1.tenantId }, campaign: { id: ids.cityA1 } });
    expect(report.dueOn).toBe('2024-04-30'); // the nearest reportDueOn up the directive chain
    expect(report.late).toBe(true); // not submitted, and that day has passed
    for (const phrase of ['3600余人', '130余块', '2万余份', '15家企业共计56人', '工人文化宫', '甲一区']) expect(report.text).toContain(phrase);
    expect(report.text).toContain('（未统计）');
    expect(report.text).not.toMatch(/undefined|NaN|null|达到了人/);
    const keys = report.sections.map((s: { key: string }) => s.key);
    expect(keys.slice(0, 3)).toEqual(expect.arrayContaining(['leadership', 'activities', 'results']));
    expect(keys).toContain('reporting'); // cityA1 has a child: the 汇总 says who reported
    expect(keys).toContain('lessons');
    expect(report.figures).toEqual(expect.arrayContaining([
      { indicator: 'PARTICIPANTS', value: 3600, approximate: true, text: '3600余人' },
      { indicator: 'TRAINEES', value: 56, approximate: false, text: '56人' },
    ]));
    // required up the chain (VISITORS, CASES_FILED here; PARTICIPANTS, MATERIALS from the national directive are recorded)
    const missing = report.missing.map((m: { indicator: string; activity: { id: string } | null }) => `${m.indicator}:${m.activity?.id ?? '-'}`);
    expect(missing).toEqual(expect.arrayContaining([`VISITORS:${ids.exhibition}`, 'CASES_FILED:-']));
    expect(missing).not.toContain('PARTICIPANTS:-');
  });

  it('keeps hand-edited sections when generated again and refreshes the generated ones from data', async () => {
    const edited = (await editor.run(UPDATE_SECTION, { i: { reportId: ids.report, key: 'lessons', body: '（一）领导重视是关键。\n（二）部门协作是保障。' } })).updateReportSection;
    expect(edited.sections.find((s: { key: string }) => s.key === 'lessons')).toMatchObject({ edited: true, body: '（一）领导重视是关键。\n（二）部门协作是保障。' });
    await n.cityA1.admin.run(REC, { i: { activityId: ids.opening, indicator: 'BANNERS', value: 25, approximate: false } });
    const again = await generate(editor, ids.cityA1);
    expect(again.id).toBe(ids.report);
    expect(again.text).toContain('25条');
    expect(again.text).toContain('（二）部门协作是保障。');
    expect(again.sections.find((s: { key: string }) => s.key === 'lessons').edited).toBe(true);
  });

  it('refuses bad edits with a code and writes nothing', async () => {
    expect(codeOf(await editor.request(UPDATE_SECTION, { i: { reportId: ids.report, key: 'no-such-section', body: 'x' } }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await editor.request(UPDATE_SECTION, { i: { reportId: ids.report, key: 'lessons', body: 'bad\u0000text' } }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await editor.request(UPDATE_SECTION, { i: { reportId: ids.report, key: 'lessons', body: '长'.repeat(20_001) } }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await editor.request(GENERATE, { id: '999999' }))).toBe('NOT_FOUND');
    expect(codeOf(await editor.request(GENERATE, { id: 'abc' }))).toBe('BAD_USER_INPUT');
    const still = (await editor.run(REPORT, { id: ids.report })).report;
    expect(still.sections.find((s: { key: string }) => s.key === 'lessons').body).toBe('（一）领导重视是关键。\n（二）部门协作是保障。');
  });

  it('only editors of the campaign’s own tenant generate; a viewer, the parent and a sibling cannot', async () => {
    expect(codeOf(await n.provA.admin.request(GENERATE, { id: ids.cityA1 }))).toBe('FORBIDDEN');
    expect(codeOf(await n.cityA2.admin.request(GENERATE, { id: ids.cityA1 }))).toBe('NOT_FOUND');
    expect(codeOf(await n.districtA1.admin.request(GENERATE, { id: ids.cityA1 }))).toBe('FORBIDDEN');
  });
});

describe('who reads a draft', () => {
  it('its own tenant only: not the parent, a sibling, a child, or a forged id', async () => {
    expect((await editor.run(REPORT, { id: ids.report })).report.id).toBe(ids.report);
    for (const who of [n.provA.admin, n.nation.admin, n.cityA2.admin, n.districtA1.admin, n.provB.admin]) {
      expect((await who.run(REPORT, { id: ids.report })).report).toBeNull();
    }
    expect((await n.provA.admin.run(CAMPAIGN_REPORT, { id: ids.cityA1 })).campaign.report).toBeNull();
    expect((await editor.run(REPORT, { id: '987654' })).report).toBeNull();
  });

  it('the parent’s reporting shows a DRAFT as a state, without the report, and NO_PLAN for a child without a plan', async () => {
    const { reporting } = (await n.provA.admin.run(REPORTING, { id: ids.provA })).campaign;
    const byTenant = Object.fromEntries(reporting.map((r: { tenant: { id: string } }) => [r.tenant.id, r]));
    expect(Object.keys(byTenant).sort()).toEqual([n.cityA1.tenantId, n.cityA2.tenantId].sort());
    expect(byTenant[n.cityA1.tenantId]).toMatchObject({ state: 'DRAFT', report: null, campaign: { id: ids.cityA1 }, submittedAt: null, late: true });
    expect(byTenant[n.cityA2.tenantId]).toMatchObject({ state: 'NO_PLAN', report: null, campaign: null, late: true });
    // a child looking at its parent's directive sees nobody's reporting (its siblings' is not its business)
    expect((await n.cityA1.admin.run(REPORTING, { id: ids.provA })).campaign.reporting).toEqual([]);
  });
});

describe('submitting, returning, accepting', () => {
  it('submission is the admins’ and is refused while figures are missing, unless acknowledged', async () => {
    expect(codeOf(await editor.request(SUBMIT, { i: { id: ids.report } }))).toBe('FORBIDDEN');
    const refused = await n.cityA1.admin.request(SUBMIT, { i: { id: ids.report } });
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    expect(refused.errors![0].message).toMatch(/missing/);
    expect((await editor.run(REPORT, { id: ids.report })).report.status).toBe('DRAFT');
    // a refused submission leaves the statistics writable
    expect((await n.cityA1.admin.run(REC, { i: { activityId: ids.opening, indicator: 'BANNERS', value: 26, approximate: false } })).recordStatistic.value).toBe(26);
  });

  it('a submitted report locks the statistics and every edit; the parent and grandparent now read it', async () => {
    const submitted = (await n.cityA1.admin.run(SUBMIT, { i: { id: ids.report, acknowledgeMissing: true } })).submitReport;
    expect(submitted).toMatchObject({ status: 'SUBMITTED', late: true });
    expect(submitted.submittedAt).toBeTruthy();
    expect(submitted.text).toContain('26条'); // figures taken again at submission
    expect(codeOf(await n.cityA1.admin.request(REC, { i: { activityId: ids.opening, indicator: 'BANNERS', value: 27, approximate: false } }))).toBe('CONFLICT');
    expect(codeOf(await n.cityA1.admin.request(INC, { i: { activityId: ids.opening, indicator: 'PARTICIPANTS', by: 1 } }))).toBe('CONFLICT');
    expect(codeOf(await editor.request(GENERATE, { id: ids.cityA1 }))).toBe('CONFLICT');
    expect(codeOf(await editor.request(UPDATE_SECTION, { i: { reportId: ids.report, key: 'lessons', body: '改' } }))).toBe('CONFLICT');
    expect(codeOf(await n.cityA1.admin.request(SUBMIT, { i: { id: ids.report, acknowledgeMissing: true } }))).toBe('CONFLICT');
    // the child's own statistics are not the parent's report: still writable
    expect((await n.districtA1.admin.run(REC, { i: { activityId: ids.training, indicator: 'TRAINEES', value: 56, approximate: false } })).recordStatistic.value).toBe(56);

    expect((await n.provA.admin.run(REPORT, { id: ids.report })).report.status).toBe('SUBMITTED');
    expect((await n.nation.admin.run(REPORT, { id: ids.report })).report.status).toBe('SUBMITTED');
    for (const who of [n.cityA2.admin, n.districtA1.admin, n.provB.admin]) expect((await who.run(REPORT, { id: ids.report })).report).toBeNull();
    const { reporting } = (await n.provA.admin.run(REPORTING, { id: ids.provA })).campaign;
    expect(reporting.find((r: { tenant: { id: string } }) => r.tenant.id === n.cityA1.tenantId)).toMatchObject({ state: 'SUBMITTED', report: { id: ids.report }, late: true });
  });

  it('only the admins of the tenant directly above decide on it', async () => {
    expect(codeOf(await n.cityA1.admin.request(ACCEPT, { id: ids.report }))).toBe('FORBIDDEN');
    expect(codeOf(await n.nation.admin.request(RETURN, { i: { id: ids.report, reason: '越级' } }))).toBe('FORBIDDEN');
    expect(codeOf(await n.cityA2.admin.request(ACCEPT, { id: ids.report }))).toBe('NOT_FOUND');
    expect(codeOf(await n.provA.admin.request(RETURN, { i: { id: ids.report, reason: '' } }))).toBe('BAD_USER_INPUT');
  });

  it('a returned report is editable again with its statistics unlocked; resubmitted and accepted it locks them for good', async () => {
    const returned = (await n.provA.admin.run(RETURN, { i: { id: ids.report, reason: '请补充观展人次' } })).returnReport;
    expect(returned).toMatchObject({ status: 'RETURNED', returnReason: '请补充观展人次' });
    expect((await n.provA.admin.run(REPORT, { id: ids.report })).report.status).toBe('RETURNED'); // still readable above
    const exhibitionVisitors = await n.cityA1.admin.run(REC, { i: { activityId: ids.exhibition, indicator: 'VISITORS', value: 20000, approximate: true } });
    expect(exhibitionVisitors.recordStatistic.value).toBe(20000);
    const regenerated = await generate(editor, ids.cityA1);
    expect(regenerated.status).toBe('RETURNED');
    expect(regenerated.text).toContain('2万余人次');
    expect(regenerated.missing.map((m: { indicator: string }) => m.indicator)).toEqual(['CASES_FILED']);
    const resubmitted = (await n.cityA1.admin.run(SUBMIT, { i: { id: ids.report, acknowledgeMissing: true } })).submitReport;
    expect(resubmitted.status).toBe('SUBMITTED');
    const accepted = (await n.provA.admin.run(ACCEPT, { id: ids.report })).acceptReport;
    expect(accepted.status).toBe('ACCEPTED');
    expect(codeOf(await n.cityA1.admin.request(REC, { i: { activityId: ids.opening, indicator: 'BANNERS', value: 28, approximate: false } }))).toBe('CONFLICT');
    expect(codeOf(await n.provA.admin.request(RETURN, { i: { id: ids.report, reason: '再改' } }))).toBe('CONFLICT');
    expect(codeOf(await n.provA.admin.request(ACCEPT, { id: ids.report }))).toBe('CONFLICT');
  });

  it('a top-level tenant has nobody to submit to', async () => {
    const top = await generate(n.nation.admin, ids.nation);
    expect(top.sections.map((s: { key: string }) => s.key)).toContain('reporting');
    expect(codeOf(await n.nation.admin.request(SUBMIT, { i: { id: top.id, acknowledgeMissing: true } }))).toBe('BAD_USER_INPUT');
  });

  it('late follows the due day in Asia/Shanghai: a far due date is not late', async () => {
    const district = await generate(n.districtA1.admin, ids.districtA1);
    expect(district).toMatchObject({ dueOn: '2099-04-30', late: false });
    expect(district.sections.map((s: { key: string }) => s.key)).not.toContain('reporting'); // a leaf tenant
  });
});

describe('downloadUrl', () => {
  it('serves a Word document to whoever holds the URL, and 404 for a changed signature', async () => {
    const { report } = await n.provA.admin.run(REPORT, { id: ids.report });
    const url = new URL(report.downloadUrl, t.platform.gateway.url);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    const tampered = url.pathname.slice(0, -2) + (url.pathname.endsWith('AA') ? 'BB' : 'AA');
    expect((await fetch(new URL(tampered, url))).status).toBe(404);
    expect((await fetch(new URL('/reports/download/abc.def', url))).status).toBe(404);
    expect((await fetch(url, { method: 'POST', body: 'x' })).status).toBeGreaterThanOrEqual(400);
  });
});

describe('races', () => {
  it('two first generations at once make one report; two submissions at once send it up once and leave the statistics locked', async () => {
    const campaignId = await campaign('provB', '乙省2024年保护知识产权宣传周', { implementsId: ids.nation });
    const act = await activity('provB', campaignId, { title: '开幕式', kind: 'OPENING_CEREMONY', startsAt: '2024-04-20T02:00:00Z' }, [['PARTICIPANTS', 500, false]]);
    const [a, b] = await Promise.all([n.provB.admin.request(GENERATE, { id: campaignId }), n.provB.admin.request(GENERATE, { id: campaignId })]);
    expect([codeOf(a), codeOf(b)]).toEqual(['NONE', 'NONE']);
    expect(a.data!.generateReport.id).toBe(b.data!.generateReport.id);
    const reportId = a.data!.generateReport.id;
    const submissions = await Promise.all([1, 2, 3].map(() => n.provB.admin.request(SUBMIT, { i: { id: reportId, acknowledgeMissing: true } })));
    const codes = submissions.map(codeOf).sort();
    expect(codes).toEqual(['CONFLICT', 'CONFLICT', 'NONE']);
    expect((await n.provB.admin.run(REPORT, { id: reportId })).report.status).toBe('SUBMITTED');
    expect(codeOf(await n.provB.admin.request(REC, { i: { activityId: act, indicator: 'PARTICIPANTS', value: 501, approximate: false } }))).toBe('CONFLICT');
  });
});
