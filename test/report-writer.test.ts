import { writeReport } from '../services/reports/src/writer/write-report';
import { reportTitle } from '../services/reports/src/writer/title';
import { GeneratedReport, ReportSource, SourceActivity } from '../services/reports/src/writer/types';

/**
 * The report writer against the 第八师 work summary (seed 000, lines 1-47): the same data, recorded,
 * gives back the summary's own phrases — and says where the hand-written one lost a number
 * ("观展人次达到了人").
 */

// 4月20日 09:00 Beijing time is 01:00Z
const at = (day: string, hhmm: string) => new Date(`2024-${day}T${hhmm}:00+08:00`).toISOString();

function activity(partial: Partial<SourceActivity> & Pick<SourceActivity, 'id' | 'title' | 'kind' | 'startsAt'>): SourceActivity {
  return { endsAt: null, location: null, leadUnit: null, supportingUnits: [], statistics: [], targets: [], ...partial };
}

const figure = (indicator: string, value: number, approximate = false) => ({ indicator, value, approximate });

function eighthDivision(): ReportSource {
  return {
    tenant: { name: '第八师石河子市', level: 'CITY' },
    campaign: { title: '2024年第八师石河子市保护知识产权宣传周', theme: '保护知识产权，促进创新发展', startsOn: '2024-04-20', endsOn: '2024-04-26' },
    requiredIndicators: [],
    committees: [
      {
        name: '师市保护知识产权宣传周活动领导小组',
        members: [
          { role: '副组长', name: '牟中庆', title: '师市党委副秘书长', unit: null },
          { role: '组长', name: '张祖树', title: '八师党委常委、八师副师长', unit: null },
          { role: '成员', name: '王伟', title: null, unit: '师市整规办' },
        ],
      },
    ],
    // given out of order: the writer sorts by date
    activities: [
      activity({
        id: 'exhibition',
        title: '保护知识产权成果巡回展',
        kind: 'EXHIBITION',
        startsAt: at('04-22', '09:00'),
        endsAt: at('04-23', '18:00'),
        location: '石河子大学',
        leadUnit: '兵团整规办',
        supportingUnits: ['师市整规办', '知识产权局'],
        statistics: [figure('MATERIALS_DISTRIBUTED', 5000, true)],
      }),
      activity({
        id: 'opening',
        title: '保护知识产权宣传周开幕式及万人签名活动',
        kind: 'OPENING_CEREMONY',
        startsAt: at('04-20', '09:00'),
        endsAt: at('04-20', '11:30'),
        location: '石河子市工人文化宫',
        leadUnit: '师市整规办',
        supportingUnits: ['党委宣传部', '知识产权局'],
        statistics: [figure('PARTICIPANTS', 3600, true), figure('DISPLAY_BOARDS', 130, true), figure('MATERIALS_DISTRIBUTED', 20000, true)],
      }),
      activity({
        id: 'enforcement',
        title: '保护知识产权联合执法行动',
        kind: 'JOINT_ENFORCEMENT',
        startsAt: at('04-21', '14:00'),
        endsAt: at('04-21', '18:00'),
        leadUnit: '师市整规办',
        supportingUnits: ['知识产权局', '文体委', '工商局', '质监局', '药监局'],
        statistics: [figure('ENFORCEMENT_OFFICERS', 1000, true), figure('BUSINESSES_INSPECTED', 3000, true)],
      }),
      activity({
        id: 'consultation',
        title: '保护知识产权宣传咨询活动',
        kind: 'CONSULTATION',
        startsAt: at('04-23', '10:00'),
        location: '温州步行街',
        leadUnit: '工商局',
        supportingUnits: ['师市整规办', '质监局', '药监局'],
        statistics: [figure('CONSULTATIONS', 800, true), figure('MATERIALS_DISTRIBUTED', 40000, true), figure('CONSULTATION_POINTS', 6), figure('BANNERS', 30)],
      }),
      activity({
        id: 'training',
        title: '企业知识产权培训',
        kind: 'TRAINING',
        startsAt: at('04-24', '09:00'),
        leadUnit: '知识产权局',
        statistics: [figure('TRAINEES', 56), figure('ENTERPRISES_TRAINED', 15)],
      }),
    ],
    totals: [
      figure('MATERIALS_DISTRIBUTED', 65000, true),
      figure('PARTICIPANTS', 3600, true),
      figure('DISPLAY_BOARDS', 130, true),
      figure('CONSULTATIONS', 800, true),
      figure('CONSULTATION_POINTS', 6),
      figure('BANNERS', 30),
      figure('ENTERPRISES_TRAINED', 15),
      figure('TRAINEES', 56),
      figure('ENFORCEMENT_OFFICERS', 1000, true),
      figure('BUSINESSES_INSPECTED', 3000, true),
    ],
    children: [],
  };
}

const text = (report: GeneratedReport) => [report.title, ...report.sections.flatMap((s) => [s.heading, s.body])].join('\n');
const section = (report: GeneratedReport, key: string) => report.sections.find((s) => s.key === key);

/** No blank where a number should be, nothing a template or a bad value could leave behind. */
function expectNoHoles(report: GeneratedReport) {
  const all = text(report);
  for (const hole of ['undefined', 'NaN', 'null', 'Infinity', '[object', '{v}', '{0}', '{1}', '达到了人', '达到人', '共计人', '，，', '。。', '；；']) {
    expect(all).not.toContain(hole);
  }
  expect(all).not.toMatch(/\d,\d/); // no thousands separators
  for (const f of report.figures) expect(f.text).toMatch(/^\d+(\.\d)?[万亿]?余?\p{Script=Han}*$/u);
}

describe('the 第八师 summary, written from its data', () => {
  const report = writeReport(eighthDivision());
  const all = text(report);

  it('is titled as the summary is', () => {
    expect(report.title).toBe('2024年第八师石河子市保护知识产权宣传周活动工作总结');
  });

  it('has the summary’s sections in order, the free ones empty for people to write', () => {
    expect(report.sections.map((s) => [s.key, s.heading, s.generated])).toEqual([
      ['leadership', '组织领导', true],
      ['activities', '活动开展情况', true],
      ['results', '主要成效', true],
      ['lessons', '几点体会', false],
      ['next', '下一步工作', false],
    ]);
    expect(section(report, 'lessons')!.body).toBe('');
    expect(section(report, 'next')!.body).toBe('');
    // the opening paragraph leads the first section: the API's sections start with 组织领导
    expect(section(report, 'leadership')!.body.split('\n')[0]).toBe(
      '2024年4月20日至26日，第八师石河子市围绕“保护知识产权，促进创新发展”主题，组织开展了2024年第八师石河子市保护知识产权宣传周活动，共开展各类活动5项。',
    );
  });

  it('names the leading group as the summary does: 组长 first, with titles', () => {
    expect(section(report, 'leadership')!.body).toContain(
      '为了办好此次活动，第八师石河子市高度重视，成立了师市保护知识产权宣传周活动领导小组，组长由八师党委常委、八师副师长张祖树担任，副组长由师市党委副秘书长牟中庆担任，成员包括师市整规办王伟。',
    );
    expect(section(report, 'leadership')!.body).toContain('各项活动由师市整规办、兵团整规办、工商局、知识产权局分别牵头');
  });

  it.each(['3600余人', '130余块', '2万余份', '800余人次', '参加培训的15家企业共计56人', '1000余人次', '3000余户次', '5000余份', '4万余份'])('states %s', (phrase) => {
    expect(all).toContain(phrase);
  });

  it('writes each activity in date order, on Beijing days, with its units and figures', () => {
    const paragraphs = section(report, 'activities')!.body.split('\n');
    expect(paragraphs).toHaveLength(5);
    expect(paragraphs[0]).toBe(
      '4月20日上午，师市整规办牵头，党委宣传部、知识产权局配合，在石河子市工人文化宫举行保护知识产权宣传周开幕式及万人签名活动。活动期间，参加人数达到3600余人，发放宣传资料2万余份，展出展板130余块。',
    );
    expect(paragraphs[1]).toMatch(/^4月21日下午，师市整规办牵头，知识产权局、文体委、工商局、质监局、药监局配合，开展保护知识产权联合执法行动。活动期间，出动执法人员1000余人次，检查经营户3000余户次。$/);
    expect(paragraphs[2]).toMatch(/^4月22日—23日，兵团整规办牵头，师市整规办、知识产权局配合，在石河子大学举办保护知识产权成果巡回展。/);
    expect(paragraphs[3]).toContain('4月23日，工商局牵头');
    expect(paragraphs[3]).toContain('接受群众咨询800余人次');
    expect(paragraphs[4]).toContain('参加培训的15家企业共计56人');
  });

  it('flags the exhibition’s visitors it could not state: （未统计）, never "观展人次达到了人"', () => {
    expect(section(report, 'activities')!.body).toContain('在石河子大学举办保护知识产权成果巡回展。活动期间，观展人次（未统计），发放宣传资料5000余份。');
    expect(report.missing).toEqual([{ indicator: 'VISITORS', activityId: 'exhibition', message: expect.stringContaining('观展人次') }]);
  });

  it('closes with the totals in one sentence, and a figure per total in the table’s order', () => {
    expect(section(report, 'results')!.body).toBe(
      '截止目前，据不完全统计，参加人数达到3600余人；接受群众咨询800余人次；发放宣传资料6.5万余份；展出展板130余块；悬挂横幅30条；设立咨询服务点6个；参加培训的15家企业共计56人；出动执法人员1000余人次；检查经营户3000余户次。',
    );
    expect(report.figures.map((f) => f.indicator)).toEqual([
      'PARTICIPANTS', 'CONSULTATIONS', 'MATERIALS_DISTRIBUTED', 'DISPLAY_BOARDS', 'BANNERS', 'CONSULTATION_POINTS', 'ENTERPRISES_TRAINED', 'TRAINEES', 'ENFORCEMENT_OFFICERS', 'BUSINESSES_INSPECTED',
    ]);
    expect(report.figures.find((f) => f.indicator === 'MATERIALS_DISTRIBUTED')).toEqual({ indicator: 'MATERIALS_DISTRIBUTED', value: 65000, approximate: true, text: '6.5万余份' });
    expect(report.figures.find((f) => f.indicator === 'TRAINEES')!.text).toBe('56人');
  });

  it('opens the totals with 共 only before a verb, as the summary does ("共散发…3万余份"), never "共参加人数"', () => {
    const source = { ...eighthDivision(), totals: [figure('MATERIALS_DISTRIBUTED', 30000, true), figure('ENFORCEMENT_OFFICERS', 1000, true)] };
    expect(section(writeReport(source), 'results')!.body).toBe('截止目前，据不完全统计，共发放宣传资料3万余份；出动执法人员1000余人次。');
  });

  it('leaves no hole, and is the same every time (pure)', () => {
    expectNoHoles(report);
    expect(writeReport(eighthDivision())).toEqual(report);
  });
});

describe('what the data does not say is not invented', () => {
  it('an empty source still reads as a document, with nothing invented and no hole', () => {
    const report = writeReport({
      tenant: { name: '甲区', level: 'DISTRICT' },
      campaign: { title: '保护知识产权宣传周', theme: null, startsOn: '2024-04-20', endsOn: '2024-04-20' },
      requiredIndicators: [],
      committees: [],
      activities: [],
      totals: [],
      children: [],
    });
    expectNoHoles(report);
    expect(report.title).toBe('保护知识产权宣传周活动工作总结');
    expect(section(report, 'leadership')!.body).toBe('2024年4月20日，甲区组织开展了保护知识产权宣传周活动。\n甲区高度重视此次活动，认真研究部署，组织开展了各项活动。');
    expect(section(report, 'activities')!.body).toBe('本级未录入具体活动。');
    expect(section(report, 'results')!.body).toBe('截止目前，本级及下级单位尚未录入统计数据。');
    expect(report.figures).toEqual([]);
    expect(report.missing).toEqual([]);
    expect(section(report, 'reporting')).toBeUndefined();
  });

  it('a required indicator nobody recorded reads （未统计） in its place and is missing, with no activity', () => {
    const source = eighthDivision();
    source.requiredIndicators = ['VISITORS', 'SIGNATURES', 'MATERIALS_DISTRIBUTED', 'VISITORS'];
    const report = writeReport(source);
    expectNoHoles(report);
    const results = section(report, 'results')!.body;
    expect(results).toContain('截止目前，据不完全统计，签名人数（未统计）；参加人数达到3600余人；观展人次（未统计）；接受群众咨询800余人次；发放宣传资料6.5万余份');
    expect(report.missing.filter((m) => m.activityId === null).map((m) => m.indicator)).toEqual(['SIGNATURES', 'VISITORS']);
    expect(report.missing.find((m) => m.activityId === 'exhibition')?.indicator).toBe('VISITORS');
    // a missing figure is not a figure
    expect(report.figures.map((f) => f.indicator)).not.toContain('VISITORS');
  });

  it('an activity with a target but no figure for it, or whose kind expects one, is flagged for that activity', () => {
    const source = eighthDivision();
    source.activities = [
      activity({ id: 's1', title: '万人签名活动', kind: 'SIGNATURE_DRIVE', startsAt: at('04-20', '09:00'), targets: [{ indicator: 'SIGNATURES', value: 10000 }] }),
      activity({ id: 'f1', title: '中外企业保护知识产权座谈会', kind: 'FORUM', startsAt: at('04-21', '09:00'), targets: [{ indicator: 'ENTERPRISES_ATTENDING', value: 35 }] }),
      activity({ id: 'o1', title: '其他活动', kind: 'OTHER', startsAt: at('04-21', '15:00') }),
    ];
    const report = writeReport(source);
    expectNoHoles(report);
    const body = section(report, 'activities')!.body;
    expect(body).toContain('开展万人签名活动。活动期间，签名人数（未统计）。');
    expect(body).toContain('召开中外企业保护知识产权座谈会。活动期间，参加企业（未统计）。');
    expect(body).toContain('4月21日，开展其他活动。');
    expect(report.missing.map((m) => [m.indicator, m.activityId])).toEqual([
      ['SIGNATURES', 's1'],
      ['ENTERPRISES_ATTENDING', 'f1'],
    ]);
  });

  it('a value that is not a count is never printed: the figure reads （未统计）', () => {
    const source = eighthDivision();
    source.activities = [
      activity({ id: 'e1', title: '巡回展', kind: 'EXHIBITION', startsAt: 'not a date', statistics: [figure('VISITORS', Number.NaN), figure('BANNERS', -3)] }),
    ];
    source.totals = [figure('VISITORS', Number.NaN, true), figure('BANNERS', 1.5)];
    source.requiredIndicators = ['VISITORS'];
    const report = writeReport(source);
    expectNoHoles(report);
    expect(section(report, 'activities')!.body).toBe('举办巡回展。活动期间，观展人次（未统计）。');
    expect(section(report, 'results')!.body).toBe('截止目前，据不完全统计，观展人次（未统计）。');
    expect(report.figures).toEqual([]);
  });
});

describe('下级单位报送情况', () => {
  it('a leaf tenant has no such section', () => {
    expect(section(writeReport(eighthDivision()), 'reporting')).toBeUndefined();
  });

  it('says which children reported, late or not, which did not, and which have no plan, by name', () => {
    const source = eighthDivision();
    source.children = [
      { tenantName: '石河子市', state: 'SUBMITTED', submittedAt: '2024-04-29T02:00:00Z', late: false },
      { tenantName: '北泉镇', state: 'ACCEPTED', submittedAt: '2024-05-03T02:00:00Z', late: true },
      { tenantName: '石河子镇', state: 'DRAFT', submittedAt: null, late: true },
      { tenantName: '一四三团', state: 'RETURNED', submittedAt: '2024-04-28T02:00:00Z', late: false },
      { tenantName: '一四四团', state: 'NOT_STARTED', submittedAt: null, late: false },
      { tenantName: '一二一团', state: 'NO_PLAN', submittedAt: null, late: false },
    ];
    const report = writeReport(source);
    expectNoHoles(report);
    expect(report.sections.map((s) => s.key)).toEqual(['leadership', 'activities', 'results', 'reporting', 'lessons', 'next']);
    const reporting = section(report, 'reporting')!;
    expect(reporting).toMatchObject({ heading: '下级单位报送情况', generated: true });
    expect(reporting.body).toBe(
      '6个下级单位中，已报送2个：石河子市、北泉镇（逾期报送）；未报送3个：石河子镇（已逾期）、一四三团（已退回修改）、一四四团；未制定方案1个：一二一团。',
    );
  });

  it('with only one kind of child, only that part', () => {
    const source = eighthDivision();
    source.children = [{ tenantName: '甲县', state: 'NO_PLAN', submittedAt: null, late: false }];
    expect(section(writeReport(source), 'reporting')!.body).toBe('1个下级单位中，未制定方案1个：甲县。');
  });
});

describe('titles', () => {
  it.each([
    ['2024年第八师石河子市保护知识产权宣传周', '2024年第八师石河子市保护知识产权宣传周活动工作总结'],
    ['2024年鼓楼区保护知识产权宣传周活动方案', '2024年鼓楼区保护知识产权宣传周活动工作总结'],
    ['2024年鼓楼区保护知识产权宣传周总体方案', '2024年鼓楼区保护知识产权宣传周活动工作总结'],
    ['2024年福州市保护知识产权宣传周实施方案', '2024年福州市保护知识产权宣传周活动工作总结'],
    ['关于开展2024年保护知识产权宣传周活动的通知', '2024年保护知识产权宣传周活动工作总结'],
    ['关于印发《2024年保护知识产权宣传周活动方案》的通知', '2024年保护知识产权宣传周活动工作总结'],
    ['2024年宣传周活动工作总结', '2024年宣传周活动工作总结'],
    ['方案', '甲区活动工作总结'],
  ])('%s → %s', (title, expected) => {
    expect(reportTitle(title, '甲区')).toBe(expected);
  });
});

describe('hostile strings', () => {
  it('names with quotes, brackets, $-patterns and line breaks stay in place as written (one line each)', () => {
    const source = eighthDivision();
    const odd = '“张”\'三\'"$&$1{v}<b>';
    source.tenant.name = '甲"区\n乙';
    source.campaign.title = '宣传周"$&"';
    source.campaign.theme = '“保护”\n创新';
    source.committees = [{ name: '领导小组\r\n（临时）', members: [{ role: '组长', name: odd, title: '区长\n', unit: null }] }];
    source.activities = [
      activity({ id: 'x', title: '开幕式{v}\n第二行', kind: 'OPENING_CEREMONY', startsAt: at('04-20', '09:00'), location: '广场$`', leadUnit: '单位\u2028甲', supportingUnits: ['"乙"'], statistics: [figure('PARTICIPANTS', 10)] }),
    ];
    source.children = [{ tenantName: '下级"$&"\n县', state: 'SUBMITTED', submittedAt: null, late: false }];
    const report = writeReport(source);
    expect(report.title).toBe('宣传周"$&"活动工作总结');
    for (const s of report.sections) expect(s.body.split('\n').every((p) => !/^\s|\s$/.test(p) || p === '')).toBe(true);
    const leadership = section(report, 'leadership')!.body;
    expect(leadership).toContain(`成立了领导小组 （临时），组长由区长${odd}担任。`);
    expect(leadership).toContain('组织开展了宣传周"$&"活动，共开展各类活动1项。\n为了办好此次活动，甲"区 乙高度重视');
    const activities = section(report, 'activities')!.body;
    expect(activities.split('\n')).toHaveLength(1);
    expect(activities).toBe('4月20日，单位 甲牵头，"乙"配合，在广场$`举行开幕式{v} 第二行。活动期间，参加人数达到10人。');
    expect(section(report, 'reporting')!.body).toContain('下级"$&" 县');
    expect(leadership).toContain('围绕““保护” 创新”主题');
  });

  it('a role, name or unit that is empty is left out rather than leaving a gap', () => {
    const source = eighthDivision();
    source.committees = [{ name: '', members: [{ role: '', name: '李四', title: null, unit: null }, { role: '组长', name: '', title: null, unit: null }] }];
    source.activities = [activity({ id: 'y', title: '', kind: 'OTHER', startsAt: at('04-20', '09:00'), leadUnit: '', supportingUnits: ['', ' '], location: '  ' })];
    const report = writeReport(source);
    expectNoHoles(report);
    expect(section(report, 'leadership')!.body).toContain('成立了工作机构，成员包括李四。');
    expect(section(report, 'activities')!.body).toBe('4月20日，开展活动。');
  });
});
