import { loadDemoData } from '@cascade/app';
import { codeOf, ROOT_EMAIL, ROOT_PASSWORD, startTestPlatform, TestPlatform } from './helpers/platform';

/**
 * The demo data against the seed documents (shared/seed), fact by fact, one describe per
 * document, loaded through the public API as `npm start` does and read back through the gateway.
 * (The reports the demo ends with: demo-report.e2e.test.ts.)
 */
let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform('demo');
  expect(await loadDemoData(t.platform.gateway.url, ROOT_EMAIL, ROOT_PASSWORD)).not.toBeNull();
}, 180_000);
afterAll(async () => {
  await t?.stop();
});

const as = (email: string) => t.signIn(email, 'cascade-demo');

interface Stat {
  indicator: string;
  value: number;
  approximate: boolean;
}
interface ActivityRow {
  id: string;
  title: string;
  kind: string;
  startsAt: string;
  endsAt: string | null;
  location: string | null;
  leadUnit: { name: string } | null;
  supportingUnits: { name: string }[];
  statistics: Stat[];
  targets: { indicator: string; value: number }[];
}

const CAMPAIGN_FIELDS = `id title theme status startsOn endsOn reportDueOn focusPoints requiredIndicators
  implements { id title tenant { name } implements { title } } implementations { title tenant { name } }
  activities { id title kind startsAt endsAt location leadUnit { name } supportingUnits { name }
    statistics { indicator value approximate } targets { indicator value } }
  tasks { title status dueOn unit { name } } slogans { text unit { name } }`;

/** The campaigns of the signed-in admin's own tenant. */
async function ownCampaigns(email: string): Promise<any[]> {
  const data = await (await as(email)).run(`{ me { tenant { campaigns { ${CAMPAIGN_FIELDS} } } } }`);
  return data.me.tenant.campaigns;
}

async function tenantOf(email: string): Promise<any> {
  const data = await (await as(email)).run('{ me { tenant { id name level parent { name } units { name } committees { name members { role person { name title unit { name } } } } } } }');
  return data.me.tenant;
}

/** People are read back through the audit trail: the API lists them only inside committees. */
async function peopleOf(email: string): Promise<Record<string, string>> {
  const data = await (await as(email)).run('{ auditLog(first: 100, entityType: "Person") { edges { node { action changes } } } }');
  const created = data.auditLog.edges.map((e: any) => JSON.parse(e.node.changes)).filter((c: any) => c.name);
  return Object.fromEntries(created.map((c: any) => [c.name[1], c.title[1]]));
}

const byTitle = (activities: ActivityRow[], title: string) => {
  const found = activities.find((a) => a.title === title);
  if (!found) throw new Error(`no activity "${title}" among ${activities.map((a) => a.title).join(' | ')}`);
  return found;
};
const stats = (a: ActivityRow) => Object.fromEntries(a.statistics.map((s) => [s.indicator, [s.value, s.approximate]]));
const names = (units: { name: string }[]) => units.map((u) => u.name);
/** Asia/Shanghai wall clock of an instant: "2024-04-21 15:00". */
const local = (iso: string | null) => (iso ? new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ') : null);

describe('the tenant tree and sign-ins', () => {
  it('has one tenant per government level the documents name, 泰兴市 under 江苏省', async () => {
    const national = await as('admin@national.demo');
    const tree = await national.run('{ tenants(first: 100) { totalCount edges { node { name level parent { name } } } } }');
    const parentOf = Object.fromEntries(tree.tenants.edges.map((e: any) => [e.node.name, e.node.parent?.name ?? null]));
    expect(parentOf).toEqual({
      全国整规办: null, 新疆生产建设兵团: '全国整规办', 第八师石河子市: '新疆生产建设兵团', 浙江省: '全国整规办', 杭州市: '浙江省',
      福建省: '全国整规办', 福州市: '福建省', 鼓楼区: '福州市', 江苏省: '全国整规办', 泰兴市: '江苏省',
    });
    const level = Object.fromEntries(tree.tenants.edges.map((e: any) => [e.node.name, e.node.level]));
    expect(level).toMatchObject({ 泰兴市: 'CITY', 江苏省: 'PROVINCE', 鼓楼区: 'DISTRICT' });
    for (const email of ['admin@jiangsu.demo', 'admin@taixing.demo', 'editor@bashi.demo', 'viewer@bingtuan.demo']) {
      expect((await as(email)).token).toBeTruthy();
    }
  });

  it('a second load adds nothing', async () => {
    expect(await loadDemoData(t.platform.gateway.url, ROOT_EMAIL, ROOT_PASSWORD)).toBeNull();
    expect((await t.root.run('{ tenants { totalCount } }')).tenants.totalCount).toBe(10);
  });
});

describe('第一/二篇: 第八师石河子市’s work summary', () => {
  let week: any;
  let activities: ActivityRow[];
  beforeAll(async () => {
    week = (await ownCampaigns('admin@bashi.demo')).find((c) => c.title === '2024年第八师石河子市保护知识产权宣传周');
    activities = week.activities;
  });

  it('has the units given their 分工, the 领导小组 with its 组长 and 副组长, its office, and the people named', async () => {
    const tenant = await tenantOf('admin@bashi.demo');
    expect(names(tenant.units)).toEqual(expect.arrayContaining([
      '师市政府办', '师市党工委', '师市整规办', '师市党委宣传部', '师市知识产权局', '师市贸易局', '师市文体委', '师市总工会',
      '师市公安局', '师市开发区管委会', '石河子市工商局', '师市质监局', '师市药监局', '师市新闻媒体',
    ]));
    const group = tenant.committees.find((c: any) => c.name === '师市保护知识产权宣传周活动领导小组');
    expect(group.members).toEqual([
      { role: '组长', person: { name: '张祖树', title: '八师党委常委、八师副师长', unit: null } },
      { role: '副组长', person: { name: '牟中庆', title: '师市党委副秘书长', unit: null } },
    ]);
    expect(tenant.committees.find((c: any) => c.name === '师市保护知识产权宣传周活动领导小组办公室').members).toEqual([]);
    expect(await peopleOf('admin@bashi.demo')).toMatchObject({ 余继志: '八师党委常委、师长', 张祖树: '八师党委常委、八师副师长' });
    expect(await peopleOf('admin@bingtuan.demo')).toMatchObject({ '阿勒布斯拜.拉合木': '兵团党委常委、副司令员' }); // 兵团 admins read 八师's entries too
  });

  it('implements the 兵团 week, which implements the national notice; the week is over: CLOSED, its statistics locked', async () => {
    expect(week.implements).toMatchObject({ title: '兵团2024年保护知识产权宣传周', tenant: { name: '新疆生产建设兵团' } });
    expect(week.implements.implements.title).toBe('关于开展2024年“保护知识产权宣传周”活动的通知（整规办发[2024]3号）');
    expect(week).toMatchObject({ status: 'CLOSED', startsOn: '2024-04-20', endsOn: '2024-04-26', theme: '保护知识产权，促进创新发展' });
    const admin = await as('admin@bashi.demo');
    const write = await admin.request('mutation($i: RecordStatisticInput!) { recordStatistic(input: $i) { value } }', {
      i: { activityId: byTitle(activities, '保护知识产权成果展').id, indicator: 'VISITORS', value: 38000 },
    });
    expect(codeOf(write)).toBe('CONFLICT');
  });

  it('has each activity the summary describes, with its day, place, units and figures — 余 exactly where it says 余/多/以上', async () => {
    expect(activities).toHaveLength(13);
    const ceremony = byTitle(activities, '保护知识产权宣传周和保护知识产权成果展开幕式及万人签名活动');
    expect(ceremony).toMatchObject({ kind: 'OPENING_CEREMONY', location: '工人文化宫', targets: [{ indicator: 'SIGNATURES', value: 10000 }] });
    expect(local(ceremony.startsAt)).toBe('2024-04-20 09:00');
    expect(stats(ceremony)).toEqual({ UNITS_ATTENDING: [27, false], PARTICIPANTS: [3600, true], DISPLAY_BOARDS: [130, true], VISITORS: [10000, true] });

    expect(stats(byTitle(activities, '横幅悬挂及保护知识产权宣传海报、报纸、宣传单发放'))).toEqual({ BANNERS: [25, false], MATERIALS_DISTRIBUTED: [20000, true] });
    expect(byTitle(activities, '电视访谈').kind).toBe('MEDIA_INTERVIEW');

    const forum = byTitle(activities, '中外企业保护知识产权座谈会');
    expect([local(forum.startsAt), forum.leadUnit?.name]).toEqual(['2024-04-21 09:00', '师市知识产权局']);
    expect(stats(forum)).toEqual({ UNITS_ATTENDING: [12, false], ENTERPRISES_ATTENDING: [35, false] });
    expect(names(forum.supportingUnits)).toEqual(['兵团整规办', '兵团知识产权局', '兵团质量技术监督局', '兵团食品药品监督管理局', '师市整规办', '师市贸易局', '石河子市工商局']);
    // the ceremony's 27 units: the 兵团 offices the summary names (乌鲁木齐海关 and the university are no tenant's units)
    expect(names(ceremony.supportingUnits)).toEqual(['兵团商务局', '兵团党委宣传部', '兵团质量技术监督局', '兵团食品药品监督管理局', '兵团科技局', '兵团知识产权局', '兵团公安局', '兵团整规办']);

    const enforcement = byTitle(activities, '保护知识产权联合执法行动');
    expect([local(enforcement.startsAt), enforcement.leadUnit?.name]).toEqual(['2024-04-21 15:00', '师市整规办']);
    // 配合, then 兵团's offices that "参与了联合执法行动" (co-organisers of the tenant above: issue 12 item 7)
    expect(names(enforcement.supportingUnits)).toEqual(['师市知识产权局', '师市文体委', '石河子市工商局', '师市质监局', '师市药监局', '兵团整规办', '兵团党委宣传部', '兵团知识产权局', '兵团质量技术监督局', '兵团食品药品监督管理局']);
    expect(enforcement.location).toBe('温州地下街文汇音像店、新思路网吧、翰林书店、大学印刷厂、大学地下室租书店');

    const consultation = byTitle(activities, '保护知识产权宣传咨询活动');
    expect([local(consultation.startsAt), consultation.location, consultation.leadUnit?.name]).toEqual(['2024-04-23 09:00', '温州步行街', '石河子市工商局']);
    expect(names(consultation.supportingUnits)).toEqual(['师市知识产权局', '师市整规办', '师市质监局', '师市药监局', '兵团整规办', '兵团党委宣传部', '兵团质量技术监督局', '兵团食品药品监督管理局']);
    expect(stats(consultation)).toEqual({
      CONSULTATION_POINTS: [6, false], BANNERS: [30, false], MATERIALS_DISTRIBUTED: [40000, true], CONSULTATIONS: [800, true], DISPLAY_BOARDS: [25, false],
    });
    expect(stats(byTitle(activities, '宣传车巡回宣传'))).toEqual({ PUBLICITY_VEHICLES: [6, false] });
    expect(stats(byTitle(activities, '“新疆著名商标”天露节水设备、天山味精、西域酒业及新疆久康木业等名优企业产品宣传及展销'))).toEqual({ ENTERPRISES_ATTENDING: [11, false] });
    expect(byTitle(activities, '“真假药品”识别咨询服务').leadUnit?.name).toBe('师市药监局');
    expect(byTitle(activities, '药品、医疗机构拉网式大检查')).toMatchObject({ kind: 'JOINT_ENFORCEMENT', leadUnit: { name: '师市药监局' }, location: '师市范围内' });

    // 截止目前，据不完全统计
    expect(stats(byTitle(activities, '保护知识产权培训（据不完全统计）'))).toEqual({ ENTERPRISES_TRAINED: [15, false], TRAINEES: [56, false] });
    const tally = activities.find((a) => a.title.startsWith('保护知识产权执法检查'))!;
    expect(tally.title).toContain('“五粮液”驰名商标、“爱都”、“与狼共舞”、“利郎”及“双庆”（摩托车）');
    expect(stats(tally)).toEqual({ ENFORCEMENT_OFFICERS: [1000, true], BUSINESSES_INSPECTED: [3000, true] });
  });

  it('records nothing where the summary lost its number ("观展人次达到了人"), and no 3万余份 on top of the activities’ own', async () => {
    expect(byTitle(activities, '保护知识产权成果展')).toMatchObject({ kind: 'EXHIBITION', statistics: [] });
    const materials = activities.flatMap((a) => a.statistics.filter((s) => s.indicator === 'MATERIALS_DISTRIBUTED').map((s) => s.value));
    expect(materials.sort((a, b) => a - b)).toEqual([20000, 40000]);
    expect(activities.flatMap((a) => a.statistics).every((s) => s.indicator !== 'CASES_FILED')).toBe(true); // "一批": no count
  });

  it('names 兵团’s offices on 八师’s activities and nothing else of 兵团’s: its units and committees stay unreadable to 八师', async () => {
    const data = await (await as('admin@bashi.demo')).run('{ me { tenant { parent { name units { name } committees { name } } } } }');
    expect(data.me.tenant.parent).toEqual({ name: '新疆生产建设兵团', units: [], committees: [] });
  });

  it('puts the university 巡回展 on 兵团’s campaign: organised by 兵团整规办 and 兵团知识产权局, held in 八师', async () => {
    expect(activities.some((a) => a.title.includes('巡回展'))).toBe(false);
    const [bingtuan] = await ownCampaigns('admin@bingtuan.demo');
    const tour = byTitle(bingtuan.activities, '保护知识产权成果巡回展（进校园）');
    expect(tour).toMatchObject({ kind: 'EXHIBITION', location: '××大学图书馆、大学会堂', leadUnit: { name: '兵团整规办' }, supportingUnits: [{ name: '兵团知识产权局' }] });
    expect([local(tour.startsAt)?.slice(0, 10), local(tour.endsAt)?.slice(0, 10)]).toEqual(['2024-04-22', '2024-04-23']);
    expect(stats(tour)).toEqual({ MATERIALS_DISTRIBUTED: [5000, true], VISITORS: [20000, true] });
  });

  it('has the four things the leadership 主要落实 and the plan drawn up, all done', async () => {
    const tasks = week.tasks.map((task: any) => [task.unit.name, task.title, task.status]);
    expect(tasks).toEqual(expect.arrayContaining([
      ['师市整规办', '兵团2024年保护知识产权宣传周开幕式及万人签名活动在××市举行等方面事宜', 'DONE'],
      ['师市知识产权局', '组织召开“中外企业保护知识产权座谈会”', 'DONE'],
      ['师市整规办', '组织开展保护知识产权联合执法行动', 'DONE'],
      ['石河子市工商局', '组织开展保护知识产权宣传咨询服务“进社区、进校园”活动', 'DONE'],
    ]));
    expect(tasks).toHaveLength(5);
    expect(tasks.every((task: string[]) => task[2] === 'DONE')).toBe(true);
  });

  it('rolls the figures up to the national office per directive, approximate where any part is', async () => {
    const national = await as('admin@national.demo');
    const me = await national.run('{ me { tenant { id campaigns { id } } } }');
    const r = await national.run('query($t: ID!, $c: ID) { rollup(tenantId: $t, campaignId: $c) { totals { indicator value approximate } } }', { t: me.me.tenant.id, c: me.me.tenant.campaigns[0].id });
    const total = (i: string) => r.rollup.totals.find((x: any) => x.indicator === i);
    expect(total('PARTICIPANTS')).toEqual({ indicator: 'PARTICIPANTS', value: 3600, approximate: true });
    expect(total('MATERIALS_DISTRIBUTED')).toMatchObject({ value: 20000 + 40000 + 5000, approximate: true });
    expect(total('VISITORS')).toMatchObject({ value: 10000 + 20000, approximate: true });
    expect(total('BANNERS')).toEqual({ indicator: 'BANNERS', value: 25 + 30, approximate: false });
    expect(total('PUBLICITY_VEHICLES')).toEqual({ indicator: 'PUBLICITY_VEHICLES', value: 6, approximate: false });
  });

  it('has the week’s display boards and printed matter, uploaded and READY', async () => {
    const editor = await as('editor@bashi.demo');
    const assets = await editor.run('{ assets(first: 20) { edges { node { title kind status quantityProduced contentType sha256 activity { title } } } } }');
    const asset = Object.fromEntries(assets.assets.edges.map((e: any) => [e.node.title, e.node]));
    expect(asset['保护知识产权成果展板']).toMatchObject({ kind: 'DISPLAY_BOARD', status: 'READY', quantityProduced: 130, contentType: 'image/png', activity: { title: '保护知识产权宣传周和保护知识产权成果展开幕式及万人签名活动' } });
    expect(asset['宣传资料']).toMatchObject({ kind: 'FLYER', status: 'READY', quantityProduced: 40000, contentType: 'application/pdf' });
    expect(Object.values(asset).every((a: any) => a.status === 'READY' && /^[0-9a-f]{64}$/.test(a.sha256))).toBe(true);
  });
});

describe('第三篇: the Zhejiang calendar', () => {
  it('has every item of the calendar as an activity of the body that runs it, no figure recorded', async () => {
    const [calendar] = await ownCampaigns('admin@zhejiang.demo');
    expect(calendar).toMatchObject({ title: '浙江省“保护知识产权宣传周”活动计划', status: 'PUBLISHED', implements: { title: expect.stringContaining('整规办发[2024]3号') } });
    const activities: ActivityRow[] = calendar.activities;
    expect(activities).toHaveLength(23);
    const leads = activities.reduce<Record<string, number>>((n, a) => ({ ...n, [a.leadUnit!.name]: (n[a.leadUnit!.name] ?? 0) + 1 }), {});
    expect(leads).toEqual({ 组委会办公室: 1, '省整规办(保知办)': 1, 省知识产权局: 3, 省工商局: 5, 省版权局: 2, 省文化厅: 1, 省司法厅: 1, 省外经贸厅: 1, 省高院: 4, 杭州海关: 4 });
    const fair = byTitle(activities, '浙江省保护知识产权成果展');
    expect([fair.kind, fair.location, local(fair.startsAt)?.slice(0, 10), local(fair.endsAt)?.slice(0, 10)]).toEqual(['EXHIBITION', '杭州', '2024-04-22', '2024-04-26']);
    expect(names(byTitle(activities, '“XX年浙江省知识产权保护状况”新闻发布会').supportingUnits)).toEqual(['省知识产权领导小组办公室']);
    expect(names(byTitle(activities, '送法进机关、进乡村、进社区、进学校、进企业活动').supportingUnits)).toEqual(['省普法办']);
    expect(names(byTitle(activities, '在浙投资经营的美国、欧盟、日本、韩国等企业参加的座谈会').supportingUnits)).toEqual(['省知识产权局']);
    expect(activities.map((a) => a.title)).toEqual(expect.arrayContaining([
      '以PCT国际专利申请为主要内容的报告会', '浙江与美国加州知识产权论坛', '印发《商标国际注册指南》', '通过媒体播放版权保护公益广告',
      '违法音像制品销毁活动', '典型知识产权案件公开审理、公开宣判', '近期查获的知识产权侵权货物销毁或捐赠公益事业', '在关区各关设立知识产权海关保护举报热线',
    ]));
    expect(activities.every((a) => a.statistics.length === 0)).toBe(true);
  });
});

describe('第四篇: the Gulou district plan', () => {
  let plan: any;
  beforeAll(async () => {
    [plan] = await ownCampaigns('admin@gulou.demo');
  });

  it('implements the Fujian plan it cites (through it the national notice), not the 泰兴 plan, with its theme, focus points and deadline', async () => {
    expect(plan).toMatchObject({
      title: '福州市鼓楼区2024年“保护知识产权宣传周”活动总体方案', theme: '保护知识产权，促进创新发展', reportDueOn: '2024-04-30',
      startsOn: '2024-04-20', endsOn: '2024-04-26', implements: { title: '福建省2024年保护知识产权宣传周活动总体方案', tenant: { name: '福建省' } },
    });
    expect(plan.implements.implements.title).toContain('整规办发[2024]3号');
    expect(plan.focusPoints).toHaveLength(6);
    expect(plan.focusPoints[0]).toMatch(/^保护知识产权对贯彻落实党的十七大精神/);
    // what the plan's activities hand out, answer and take in: every report under it must state it
    expect(plan.requiredIndicators).toEqual(['MATERIALS_DISTRIBUTED', 'CONSULTATIONS', 'COMPLAINTS_RECEIVED']);
  });

  it('has the 组委会 roster as the plan lists it, its office, and the units of the 组委会', async () => {
    const tenant = await tenantOf('admin@gulou.demo');
    expect(names(tenant.units)).toEqual(expect.arrayContaining(['区整规（保知）办', '区委宣传部', '区政府办', '鼓楼公安分局', '区司法局', '区贸发局', '区外经贸局', '区文体局', '区工商局', '区卫生局', '区招商办']));
    const roster = tenant.committees.find((c: any) => c.name === '2024年福州市鼓楼区“保护知识产权宣传周”活动组委会').members;
    expect(roster.map((m: any) => [m.role, m.person.name, m.person.title, m.person.unit?.name ?? null])).toEqual([
      ['主任', '许铭忠', '区委常委、区政府常务副区长', null],
      ['副主任', '董大理', '区政府副调研员', null],
      ['成员', '柯坚强', '区贸发局副局长', '区贸发局'],
      ['成员', '林诚', '区政府办副主任', '区政府办'],
      ['成员', '陈震东', '鼓楼公安治安支队大队长', '鼓楼公安分局'],
      ['成员', '陈章明', '区司法局副局长', '区司法局'],
      ['成员', '林桂平', '区招商办副主任', '区招商办'],
      ['成员', '张玉珍', '区文体局副局长', '区文体局'],
      ['成员', '孙建国', '区工商局副局长', '区工商局'],
      ['成员', '陈玉麟', '区卫生局副局长', '区卫生局'],
    ]);
    expect(tenant.committees.map((c: any) => c.name)).toContain('组委会办公室（设在区整规（保知）办）');
  });

  it('has the plan’s activities: the opening on 4月25日, the square’s consultation, the 工商 system’s six, the 街镇’s; no figure yet', async () => {
    const activities: ActivityRow[] = plan.activities;
    expect(activities).toHaveLength(9);
    const opening = byTitle(activities, '2024年“保护知识产权宣传周”活动开幕式');
    expect([local(opening.startsAt)?.slice(0, 10), opening.location, opening.leadUnit?.name, names(opening.supportingUnits)]).toEqual(['2024-04-25', '817北路大洋百货前', '区整规（保知）办', ['区工商局']]);
    expect(byTitle(activities, '保护知识产权现场宣传咨询活动')).toMatchObject({ kind: 'CONSULTATION', location: '大洋百货前广场', leadUnit: null });
    expect(activities.filter((a) => a.leadUnit?.name === '区工商局').map((a) => a.kind).sort()).toEqual(['CONSULTATION', 'FORUM', 'JOINT_ENFORCEMENT', 'MEDIA_INTERVIEW', 'MEDIA_INTERVIEW', 'OTHER']);
    expect(activities.every((a) => a.statistics.length === 0)).toBe(true);
    expect(plan.tasks.map((task: any) => [task.unit.name, task.dueOn])).toEqual(expect.arrayContaining([['区整规（保知）办', '2024-04-30']]));
  });
});

describe('第五篇: 泰兴市’s plan ("建设文明泰兴")', () => {
  let plan: any;
  beforeAll(async () => {
    [plan] = await ownCampaigns('admin@taixing.demo');
  });

  it('is 泰兴市’s own, under 江苏省; 福州市 has no copy of it and 鼓楼区 does not implement it', async () => {
    expect(plan).toMatchObject({ title: '泰兴市2024年保护知识产权宣传周活动方案', theme: '保护知识产权，打击侵权盗版（待定）', implements: null, implementations: [], status: 'PUBLISHED' });
    expect(await ownCampaigns('admin@fuzhou.demo')).toEqual([]);
    const [gulou] = await ownCampaigns('admin@gulou.demo');
    expect([gulou.implements.id, gulou.implements.tenant.name]).not.toContain(plan.id);
    expect(gulou.implements.tenant.name).toBe('福建省');
    const national = await as('admin@national.demo');
    const everyCampaign = await national.run('{ campaigns(first: 100) { edges { node { title implements { id } } } } }');
    expect(everyCampaign.campaigns.edges.filter((e: any) => e.node.implements?.id === plan.id)).toEqual([]);
  });

  it('has the eight 主办单位, the 协调、联络小组 and the six slogans with the units that make their banners', async () => {
    const tenant = await tenantOf('admin@taixing.demo');
    expect(names(tenant.units).sort()).toEqual(['市委宣传部', '市知识产权局', '市文化局', '市新闻出版局', '市工商局', '市公安局', '市新华书店', '市邮政局'].sort());
    expect(tenant.committees).toEqual([{ name: '协调、联络小组（设在市文化局）', members: [] }]);
    expect(plan.slogans.map((s: any) => [s.text, s.unit.name])).toEqual([
      ['庆祝4·26世界知识产权日。', '市知识产权局'],
      ['尊重知识产权，维护市场秩序。', '市工商局'],
      ['保护知识产权，打击侵权盗版。', '市文化局'],
      ['努力营造保护知识产权的法治环境。', '市公安局'],
      ['尊重知识产权，建设文明泰兴。', '市新华书店'],
      ['提高全民意识，保护知识产权。', '市邮政局'],
    ]);
  });

  it('has its four activities with their times, places, participating units and what they expect, and the 分工 as tasks', async () => {
    const activities: ActivityRow[] = plan.activities;
    expect(activities).toHaveLength(4);
    const square = byTitle(activities, '“世界知识产权日”广场宣传咨询活动');
    expect([local(square.startsAt), square.location, square.leadUnit, names(square.supportingUnits)]).toEqual(['2024-04-26 09:00', '鼓楼广场', null, ['市知识产权局', '市文化局', '市新闻出版局']]);
    expect(square.targets).toEqual([{ indicator: 'BANNERS', value: 3 }, { indicator: 'CONSULTATION_POINTS', value: 1 }]);
    const destruction = byTitle(activities, '销毁非法音像制品活动');
    expect([local(destruction.startsAt), destruction.location, destruction.supportingUnits.length]).toEqual(['2024-04-23 09:00', null, 8]);
    expect(destruction.targets).toEqual([{ indicator: 'PARTICIPANTS', value: 350 }]); // 负责人50名、学生300名
    const visits = byTitle(activities, '走进企业服务宣传活动');
    expect([local(visits.startsAt)?.slice(0, 10), local(visits.endsAt)?.slice(0, 10), visits.location]).toEqual(['2024-04-20', '2024-04-22', '有关企业（待定）']);
    expect(names(byTitle(activities, '收缴非法音像制品专项行动').supportingUnits)).toEqual(['市文化局', '市新闻出版局', '市公安局', '市工商局']);
    expect(activities.every((a) => a.statistics.length === 0)).toBe(true);
    const tasks = plan.tasks.map((task: any) => `${task.unit.name}:${task.title}`);
    expect(tasks).toEqual(expect.arrayContaining([
      '市公安局:销毁非法音像制品活动：负责维持活动秩序',
      '市新闻出版局:走进企业：负责落实软件正版化的有关工作',
      '市知识产权局:走进企业：负责宣传知识产权保护的有关知识',
    ]));
  });
});

describe('the live signature drive (npm run demo:ceremony)', () => {
  it('is a 八师 campaign in progress, implementing no directive, whose drive aims for 10000 signatures and takes them', async () => {
    const live = (await ownCampaigns('admin@bashi.demo')).find((c) => c.title.includes('（大屏演示）'));
    expect(live).toMatchObject({ status: 'IN_PROGRESS', implements: null });
    const [drive] = live.activities;
    expect(drive).toMatchObject({ kind: 'SIGNATURE_DRIVE', targets: [{ indicator: 'SIGNATURES', value: 10000 }] });
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    expect(live.startsOn <= today && today <= live.endsOn).toBe(true);
    const editor = await as('editor@bashi.demo');
    const inc = await editor.run('mutation($i: IncrementStatisticInput!) { incrementStatistic(input: $i) { value } }', { i: { activityId: drive.id, indicator: 'SIGNATURES', by: 3 } });
    expect(inc.incrementStatistic.value).toBe(3);
  });
});
