/**
 * The demo campaigns, read from the seed documents (shared/seed):
 * - the national notice the Gulou plan cites (整规办发[2024]3号) and the 兵团 week it drives;
 * - 第八师石河子市's 2024 week, from its work summary (第一/二篇): activities, tasks, and the
 *   figures the summary states. "观展人次达到了人" lost its number: nothing is recorded for it.
 *   "3万余份" (a running total that includes the other figures) is not recorded twice;
 * - the Zhejiang calendar (第三篇), the Gulou district plan (第四篇) and the city plan with its
 *   six slogans (第五篇, put on 福州市: its square is 鼓楼广场).
 * Times are Asia/Shanghai in the documents; stored in UTC (09:00 → 01:00Z). Activities whose
 * day the document does not give span the week ("宣传周期间").
 */
export type Indicator =
  | 'PARTICIPANTS' | 'SIGNATURES' | 'VISITORS' | 'DISPLAY_BOARDS' | 'BANNERS' | 'MATERIALS_DISTRIBUTED'
  | 'CONSULTATIONS' | 'CONSULTATION_POINTS' | 'PUBLICITY_VEHICLES' | 'ENTERPRISES_TRAINED' | 'TRAINEES'
  | 'ENFORCEMENT_OFFICERS' | 'BUSINESSES_INSPECTED' | 'CASES_FILED' | 'ITEMS_CONFISCATED';

export interface DemoActivity {
  title: string;
  kind: string;
  startsAt: string;
  endsAt?: string;
  location?: string;
  lead?: string;
  supporting?: string[];
  /** value, and whether the document says 余/多 (more than) */
  statistics?: [Indicator, number, boolean][];
}

export interface DemoCampaign {
  key: string;
  tenant: string; // DemoTenant.key
  title: string;
  theme?: string;
  startsOn: string;
  endsOn: string;
  focusPoints?: string[];
  reportDueOn?: string;
  implements?: string; // DemoCampaign.key
  status: 'PUBLISHED' | 'IN_PROGRESS' | 'CLOSED';
  activities?: DemoActivity[];
  tasks?: { unit: string; title: string; dueOn?: string; done?: boolean }[];
  slogans?: { text: string; unit?: string }[];
}

const WEEK = { startsOn: '2024-04-20', endsOn: '2024-04-26' };
const WHOLE_WEEK = { startsAt: '2024-04-20T00:00:00Z', endsAt: '2024-04-26T10:00:00Z' };

export const DEMO_CAMPAIGNS: DemoCampaign[] = [
  {
    key: 'national', tenant: 'national', ...WEEK, status: 'PUBLISHED',
    title: '关于开展2024年“保护知识产权宣传周”活动的通知（整规办发[2024]3号）',
    theme: '保护知识产权，促进创新发展',
  },
  {
    key: 'bingtuan', tenant: 'bingtuan', implements: 'national', ...WEEK, status: 'PUBLISHED',
    title: '兵团2024年保护知识产权宣传周',
    theme: '保护知识产权，促进创新发展',
  },
  {
    key: 'bashi', tenant: 'bashi', implements: 'bingtuan', ...WEEK, status: 'IN_PROGRESS',
    title: '2024年第八师石河子市保护知识产权宣传周',
    theme: '保护知识产权，促进创新发展',
    activities: [
      {
        title: '保护知识产权宣传周暨成果展开幕式及万人签名活动', kind: 'OPENING_CEREMONY',
        startsAt: '2024-04-20T02:00:00Z', endsAt: '2024-04-20T04:00:00Z', location: '工人文化宫',
        lead: '师市整规办', supporting: ['师市党委宣传部', '师市知识产权局'],
        // 社会各界人士3600多人参加; 展板130余块; 观展人数达到了万人以上
        statistics: [['PARTICIPANTS', 3600, true], ['DISPLAY_BOARDS', 130, true], ['VISITORS', 10000, true]],
      },
      {
        title: '电视访谈、悬挂横幅及宣传品发放', kind: 'MEDIA_INTERVIEW', ...WHOLE_WEEK,
        lead: '师市党委宣传部',
        // 悬挂横幅25条，发放宣传海报、报纸、宣传单等2万余份
        statistics: [['BANNERS', 25, false], ['MATERIALS_DISTRIBUTED', 20000, true]],
      },
      {
        title: '中外企业保护知识产权座谈会', kind: 'FORUM',
        startsAt: '2024-04-21T01:30:00Z', endsAt: '2024-04-21T04:00:00Z', lead: '师市知识产权局',
        supporting: ['师市整规办', '师市贸易局', '师市工商局'],
      },
      {
        title: '保护知识产权联合执法行动', kind: 'JOINT_ENFORCEMENT',
        startsAt: '2024-04-21T07:00:00Z', endsAt: '2024-04-21T10:00:00Z', location: '温州地下街',
        lead: '师市整规办', supporting: ['师市知识产权局', '师市文体委', '师市工商局', '师市质监局', '师市食品药品监督管理局'],
        // 出动执法人员1000余人次，检查经营户3000余户次; 立案查处“五粮液”“爱都”“与狼共舞”“利郎”“双庆”等一批 (5 named, more than)
        statistics: [['ENFORCEMENT_OFFICERS', 1000, true], ['BUSINESSES_INSPECTED', 3000, true], ['CASES_FILED', 5, true]],
      },
      {
        title: '保护知识产权成果巡回展（进校园）', kind: 'EXHIBITION',
        startsAt: '2024-04-22T01:00:00Z', endsAt: '2024-04-23T10:00:00Z', location: '××大学图书馆、大学会堂',
        lead: '师市整规办', supporting: ['师市知识产权局'],
        // 散发宣传画、宣传单和报等材料5000余份，观展师生达到了2万多人
        statistics: [['MATERIALS_DISTRIBUTED', 5000, true], ['VISITORS', 20000, true]],
      },
      {
        title: '保护知识产权宣传咨询活动', kind: 'CONSULTATION',
        startsAt: '2024-04-23T02:00:00Z', endsAt: '2024-04-23T08:00:00Z', location: '温州步行街',
        lead: '师市工商局', supporting: ['师市知识产权局', '师市整规办', '师市质监局', '师市食品药品监督管理局'],
        // 咨询服务点6个，横幅30条，宣传资料4万余份，咨询800余人次，宣传板报25块
        statistics: [['CONSULTATION_POINTS', 6, false], ['BANNERS', 30, false], ['MATERIALS_DISTRIBUTED', 40000, true], ['CONSULTATIONS', 800, true], ['DISPLAY_BOARDS', 25, false]],
      },
      {
        title: '保护知识产权培训（据不完全统计）', kind: 'TRAINING', ...WHOLE_WEEK, lead: '师市知识产权局',
        // 参加保护知识产权培训的15家企业共计56人
        statistics: [['ENTERPRISES_TRAINED', 15, false], ['TRAINEES', 56, false]],
      },
    ],
    tasks: [
      { unit: '师市整规办', title: '兵团2024年保护知识产权宣传周开幕式及万人签名活动在××市举行等方面事宜', dueOn: '2024-04-20', done: true },
      { unit: '师市知识产权局', title: '组织召开“中外企业保护知识产权座谈会”', dueOn: '2024-04-21', done: true },
      { unit: '师市整规办', title: '组织开展保护知识产权联合执法行动', dueOn: '2024-04-21', done: true },
      { unit: '师市工商局', title: '组织开展保护知识产权宣传咨询服务“进社区、进校园”活动', dueOn: '2024-04-23', done: true },
    ],
  },
  {
    key: 'zhejiang', tenant: 'zhejiang', implements: 'national', ...WEEK, status: 'PUBLISHED',
    title: '浙江省“保护知识产权宣传周”活动计划',
    activities: [
      { title: '浙江省保护知识产权成果展', kind: 'EXHIBITION', startsAt: '2024-04-22T01:00:00Z', endsAt: '2024-04-26T09:00:00Z', location: '杭州', lead: '省整规办(保知办)' },
      { title: '浙江省知识产权保护状况新闻发布会', kind: 'MEDIA_INTERVIEW', ...WHOLE_WEEK, lead: '省整规办(保知办)', supporting: ['省知识产权领导小组办公室'] },
      { title: 'PCT国际专利申请报告会、企业创新与知识产权研讨会、浙江与美国加州知识产权论坛', kind: 'FORUM', ...WHOLE_WEEK, lead: '省知识产权局' },
      { title: '公布商标侵权十大典型案例', kind: 'OTHER', ...WHOLE_WEEK, lead: '省工商局' },
      { title: '违法音像制品销毁活动', kind: 'DESTRUCTION', ...WHOLE_WEEK, lead: '省文化厅' },
      { title: '送法进机关、进乡村、进社区、进学校、进企业', kind: 'OTHER', ...WHOLE_WEEK, lead: '省司法厅' },
      { title: '在浙投资经营外资企业座谈会', kind: 'FORUM', ...WHOLE_WEEK, lead: '省外经贸厅', supporting: ['省知识产权局'] },
      { title: '全省法院知识产权司法保护新闻发布会', kind: 'MEDIA_INTERVIEW', ...WHOLE_WEEK, lead: '省高院' },
      { title: '海关与知识产权权利人对话会', kind: 'FORUM', ...WHOLE_WEEK, lead: '杭州海关' },
    ],
  },
  {
    key: 'fujian', tenant: 'fujian', implements: 'national', ...WEEK, status: 'PUBLISHED',
    title: '福建省2024年保护知识产权宣传周活动总体方案',
  },
  {
    key: 'fuzhou', tenant: 'fuzhou', implements: 'fujian', ...WEEK, status: 'PUBLISHED',
    title: 'XX市2024年保护知识产权宣传周活动方案',
    theme: '保护知识产权，打击侵权盗版（待定）',
    activities: [
      { title: '“世界知识产权日”广场宣传咨询活动', kind: 'CONSULTATION', startsAt: '2024-04-26T01:00:00Z', location: '鼓楼广场', lead: '市知识产权局', supporting: ['市文化局', '市新闻出版局'] },
      { title: '销毁非法音像制品活动', kind: 'DESTRUCTION', startsAt: '2024-04-23T01:00:00Z', lead: '市文化局', supporting: ['市新闻出版局', '市公安局'] },
      { title: '走进企业服务宣传活动', kind: 'ENTERPRISE_VISIT', startsAt: '2024-04-20T00:00:00Z', endsAt: '2024-04-22T10:00:00Z', location: '有关企业（待定）', lead: '市知识产权局', supporting: ['市新闻出版局'] },
      { title: '收缴非法音像制品专项行动', kind: 'JOINT_ENFORCEMENT', ...WHOLE_WEEK, lead: '市文化局', supporting: ['市新闻出版局', '市公安局', '市工商局'] },
    ],
    slogans: [
      { text: '庆祝4·26世界知识产权日。', unit: '市知识产权局' },
      { text: '尊重知识产权，维护市场秩序。', unit: '市工商局' },
      { text: '保护知识产权，打击侵权盗版。', unit: '市文化局' },
      { text: '努力营造保护知识产权的法治环境。', unit: '市公安局' },
      { text: '尊重知识产权，建设文明泰兴。', unit: '市新华书店' },
      { text: '提高全民意识，保护知识产权。', unit: '市邮政局' },
    ],
  },
  {
    key: 'gulou', tenant: 'gulou', implements: 'fuzhou', ...WEEK, status: 'PUBLISHED',
    title: '福州市鼓楼区2024年“保护知识产权宣传周”活动总体方案',
    theme: '保护知识产权，促进创新发展',
    reportDueOn: '2024-04-30',
    focusPoints: [
      '保护知识产权对贯彻落实党的十七大精神、构建和谐社会的重要意义，知识产权制度在推动科技进步和国民经济又好又快发展中的作用',
      '我国政府保护知识产权的原则立场，市委、市政府、区委、区政府对知识产权工作的部署，省、市、区保护知识产权的重大举措',
      '各街镇、各部门开展保护知识产权工作的经验和成果',
      '加强知识产权行政执法与刑事司法，打击侵犯知识产权违法犯罪行为的典型案例及启示',
      '保护知识产权工作的国际交流与合作情况',
      '企业保护知识产权、创造自主品牌和企业打假维权的做法、经验及典型事例',
    ],
    activities: [
      { title: '2024年“保护知识产权宣传周”活动开幕式', kind: 'OPENING_CEREMONY', startsAt: '2024-04-25T01:00:00Z', location: '817北路大洋百货前', lead: '区整规（保知）办', supporting: ['区工商局'] },
      { title: '保护知识产权现场宣传咨询活动', kind: 'CONSULTATION', startsAt: '2024-04-25T01:30:00Z', location: '大洋百货前广场', lead: '区整规（保知）办', supporting: ['区委宣传部', '区工商局', '区司法局'] },
      { title: '商标法律法规宣传报道与法律咨询', kind: 'MEDIA_INTERVIEW', ...WHOLE_WEEK, lead: '区工商局' },
      { title: '驰名商标企业座谈会', kind: 'FORUM', ...WHOLE_WEEK, lead: '区工商局' },
    ],
    tasks: [
      { unit: '区整规（保知）办', title: '宣传周活动总结书面材料报送区整规（保知）办汇总后报市整规（保知）办', dueOn: '2024-04-30' },
    ],
  },
];
