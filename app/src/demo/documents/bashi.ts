import { DemoCampaign, shanghai, WEEK_2024, WHOLE_WEEK } from '../types';

/**
 * 第一/二篇: 第八师石河子市's work summary of the 2024 week (the two copies differ only in "××"/"**"
 * and in the lost 观展人次: "达到了人" in one, "达到了3.8人" in the other — neither is a number).
 *
 * - Each activity the summary describes is one record, with the figures it states, approximate
 *   exactly where it says 余/多/以上. "截止目前，据不完全统计" closes with week-long tallies: the
 *   training (15家企业共计56人) and the enforcement (1000余人次, 3000余户次) are records of their own;
 *   its "3万余份" materials are not entered: it is less than the activities' own 2万余份 + 4万余份,
 *   so no record can hold it without contradicting them.
 * - "观展人次达到了人" lost its number: the 成果展 (opened at the ceremony) has no visitors recorded,
 *   so the generated summary reads "观展人次（未统计）" and lists it as missing.
 * - The 巡回展 at the university was organised by 兵团整规办 and 兵团知识产权局: it is on 兵团's
 *   campaign (BINGTUAN_WEEK), held in 八师; 师市整规办 and 知识产权局 only took part.
 * - The week is over: the summary is generated from these figures and submitted to 兵团, then the
 *   campaign is closed (seed.ts).
 * - 兵团's offices that took part in 八师's own activities are their co-organisers (supporting units
 *   of the tenant above, shown by name only): at the ceremony, the forum, the joint enforcement
 *   ("参与了联合执法行动") and the consultation ("…的领导参加了服务咨询活动"), in the document's order
 *   after 八师's own units (at the forum the document names them first). "兵团科技局科协" is the
 *   demo's 兵团科技局; 乌鲁木齐海关 and the university are no tenant's units: only counted in the 27.
 * Times: "上午" 09:00–12:00, "下午" 15:00–18:00; a day without a time from 09:00; "宣传周"
 * without a day spans the week (from 09:00 on the 20th: listed after the ceremony of that morning).
 */
export const BINGTUAN_WEEK: DemoCampaign = {
  key: 'bingtuan', tenant: 'bingtuan', implements: 'national', ...WEEK_2024, status: 'IN_PROGRESS',
  title: '兵团2024年保护知识产权宣传周',
  theme: '保护知识产权，促进创新发展',
  activities: [
    {
      // "4月22日—23日，兵团整规办、知识产权局联合组织，在××大学进行保护知识产权成果巡回展。"
      title: '保护知识产权成果巡回展（进校园）', kind: 'EXHIBITION',
      startsAt: shanghai('2024-04-22 08:00'), endsAt: shanghai('2024-04-23 18:00'), location: '××大学图书馆、大学会堂',
      lead: '兵团整规办', supporting: ['兵团知识产权局'],
      // "散发保护知识产权宣传画、宣传单和报等材料5000余份，观展师生达到了2万多人"
      statistics: [['MATERIALS_DISTRIBUTED', 5000, true], ['VISITORS', 20000, true]],
    },
  ],
};

export const BASHI_WEEK: DemoCampaign = {
  key: 'bashi', tenant: 'bashi', implements: 'bingtuan', ...WEEK_2024, status: 'CLOSED', report: 'SUBMITTED',
  title: '2024年第八师石河子市保护知识产权宣传周',
  theme: '保护知识产权，促进创新发展',
  activities: [
    {
      // "2024年4月20日上午在××市工人文化宫，举行隆重的保护知识产权宣传周和保护知识产权成果展开幕式及万人签名活动"
      title: '保护知识产权宣传周和保护知识产权成果展开幕式及万人签名活动', kind: 'OPENING_CEREMONY',
      startsAt: shanghai('2024-04-20 09:00'), endsAt: shanghai('2024-04-20 12:00'), location: '工人文化宫',
      // "…以及乌鲁木齐海关、兵团商务局、兵团党委宣传部、兵团质量技术监督局、兵团食品药品监督管理局、兵团科技局科协、
      // 兵团知识产权局、××大学、兵团公安局、兵团整规办、八师有关部门和新闻媒体等27个单位"
      supporting: ['兵团商务局', '兵团党委宣传部', '兵团质量技术监督局', '兵团食品药品监督管理局', '兵团科技局', '兵团知识产权局', '兵团公安局', '兵团整规办'],
      // "…等27个单位的主要领导、社会各界人士3600多人参加"; "共展出保护知识产权成果展板130余块，观展人数达到了万人以上"
      statistics: [['UNITS_ATTENDING', 27, false], ['PARTICIPANTS', 3600, true], ['DISPLAY_BOARDS', 130, true], ['VISITORS', 10000, true]],
      // 万人签名: the aim; the summary never states how many signed
      targets: [['SIGNATURES', 10000]],
    },
    {
      // the 成果展 opened at the ceremony (open from its end); "观展人次达到了人": its visitors' number was lost —
      // nothing recorded
      title: '保护知识产权成果展', kind: 'EXHIBITION', startsAt: shanghai('2024-04-20 12:00'), location: '工人文化宫',
    },
    { title: '电视访谈', kind: 'MEDIA_INTERVIEW', ...WHOLE_WEEK },
    {
      // "悬挂横幅25条，发放保护知识产权宣传海报、报纸、宣传单等2万余份"
      title: '横幅悬挂及保护知识产权宣传海报、报纸、宣传单发放', kind: 'OTHER', ...WHOLE_WEEK,
      statistics: [['BANNERS', 25, false], ['MATERIALS_DISTRIBUTED', 20000, true]],
    },
    {
      // "4月21日上午，师市知识产权局组织召集…师市整规办、贸易局、××工商局等12个部门以及…35家企业参加了会议"
      title: '中外企业保护知识产权座谈会', kind: 'FORUM',
      startsAt: shanghai('2024-04-21 09:00'), endsAt: shanghai('2024-04-21 12:00'),
      // "兵团整规办、兵团知识产权局、兵团质量技术监督局、兵团食品药品监督管理局，师市整规办、贸易局、××工商局等12个部门"
      lead: '师市知识产权局', supporting: ['兵团整规办', '兵团知识产权局', '兵团质量技术监督局', '兵团食品药品监督管理局', '师市整规办', '师市贸易局', '石河子市工商局'],
      statistics: [['UNITS_ATTENDING', 12, false], ['ENTERPRISES_ATTENDING', 35, false]],
    },
    {
      // "下午，师市整规办牵头组织，师市知识产权局、文体委、××市工商局、质监局、药监局等部门配合"
      title: '保护知识产权联合执法行动', kind: 'JOINT_ENFORCEMENT',
      startsAt: shanghai('2024-04-21 15:00'), endsAt: shanghai('2024-04-21 18:00'),
      location: '温州地下街文汇音像店、新思路网吧、翰林书店、大学印刷厂、大学地下室租书店',
      // "兵团整规办、宣传部、知识产权局、质量技术监督局、食品药品监督管理局参与了联合执法行动"
      lead: '师市整规办', supporting: ['师市知识产权局', '师市文体委', '石河子市工商局', '师市质监局', '师市药监局', '兵团整规办', '兵团党委宣传部', '兵团知识产权局', '兵团质量技术监督局', '兵团食品药品监督管理局'],
    },
    {
      // "4月23日，××市工商局、师市知识产权局牵头组织，师市整规办、质监局、药监局及部分企业配合，在××市温州步行街"
      // (two leads: the API holds one, the second is listed first among the others)
      title: '保护知识产权宣传咨询活动', kind: 'CONSULTATION', startsAt: shanghai('2024-04-23 09:00'), location: '温州步行街',
      // "兵团整规办、宣传部、质监局和食品药品监督管理局的领导参加了服务咨询活动"
      lead: '石河子市工商局', supporting: ['师市知识产权局', '师市整规办', '师市质监局', '师市药监局', '兵团整规办', '兵团党委宣传部', '兵团质量技术监督局', '兵团食品药品监督管理局'],
      // "设立了咨询服务点6个，悬挂宣传横幅30条…宣传资料4万余份，接受群众咨询800余人次，展示保护知识产权宣传板报25块"
      statistics: [['CONSULTATION_POINTS', 6, false], ['BANNERS', 30, false], ['MATERIALS_DISTRIBUTED', 40000, true], ['CONSULTATIONS', 800, true], ['DISPLAY_BOARDS', 25, false]],
    },
    {
      // "…天露节水设备有限公司、新疆天山味精有限公司、新疆西域酒业有限公司等以及争创“新疆著名商标”的新疆久康木业等11家名优企业的产品宣传及展销也在此开展"
      title: '“新疆著名商标”天露节水设备、天山味精、西域酒业及新疆久康木业等名优企业产品宣传及展销', kind: 'OTHER',
      startsAt: shanghai('2024-04-23 09:00'), location: '温州步行街',
      statistics: [['ENTERPRISES_ATTENDING', 11, false]],
    },
    {
      // "并出动6辆宣传车在市区主要街道巡回宣传"
      title: '宣传车巡回宣传', kind: 'OTHER', startsAt: shanghai('2024-04-23 09:00'), location: '市区主要街道',
      statistics: [['PUBLICITY_VEHICLES', 6, false]],
    },
    {
      // "特别是“宣传周”服务咨询活动期间，为广大市民设立了“真假药品”识别服务台"
      title: '“真假药品”识别咨询服务', kind: 'CONSULTATION', startsAt: shanghai('2024-04-23 09:00'), location: '温州步行街',
      lead: '师市药监局',
    },
    {
      // "“五一节”前，该局领导亲自带队，在师市范围内对药品、医疗机构进行了拉网式大检查" (no day given: the week)
      title: '药品、医疗机构拉网式大检查', kind: 'JOINT_ENFORCEMENT', ...WHOLE_WEEK, location: '师市范围内', lead: '师市药监局',
    },
    {
      // "截止目前，据不完全统计…参加保护知识产权培训的15家企业共计56人"
      title: '保护知识产权培训（据不完全统计）', kind: 'TRAINING', ...WHOLE_WEEK,
      statistics: [['ENTERPRISES_TRAINED', 15, false], ['TRAINEES', 56, false]],
    },
    {
      // "出动执法人员1000余人次，检查经营户3000余户次，查处了涉及…一批商标侵权案件，并依法立案查处" (no count of cases)
      title: '保护知识产权执法检查，查处“五粮液”驰名商标、“爱都”、“与狼共舞”、“利郎”及“双庆”（摩托车）等一批商标侵权案件（据不完全统计）',
      kind: 'JOINT_ENFORCEMENT', ...WHOLE_WEEK,
      statistics: [['ENFORCEMENT_OFFICERS', 1000, true], ['BUSINESSES_INSPECTED', 3000, true]],
    },
  ],
  tasks: [
    // "副师长张祖树挂帅总指挥，副秘书长牟中庆主抓具体工作，主要落实：⑴…⑵…⑶…⑷…"; the unit of each is the one
    // that led it (⑴: 师市整规办, which "统一协调" the week)
    { unit: '师市整规办', title: '兵团2024年保护知识产权宣传周开幕式及万人签名活动在××市举行等方面事宜', dueOn: '2024-04-20', done: true },
    { unit: '师市知识产权局', title: '组织召开“中外企业保护知识产权座谈会”', dueOn: '2024-04-21', done: true },
    { unit: '师市整规办', title: '组织开展保护知识产权联合执法行动', dueOn: '2024-04-21', done: true },
    { unit: '石河子市工商局', title: '组织开展保护知识产权宣传咨询服务“进社区、进校园”活动', dueOn: '2024-04-23', done: true },
    // "并由师市整规办、党委宣传部和知识产权局联合制定了八师××市保护知识产权宣传周活动工作方案"
    { unit: '师市整规办', title: '会同师市党委宣传部、知识产权局联合制定八师××市保护知识产权宣传周活动工作方案', done: true },
  ],
};
