/**
 * The demo tenant tree and directory, read from the seed documents (shared/seed):
 * 第一/二篇 the 八师 work summaries, 第三篇 the Zhejiang calendar, 第四篇 the Gulou district plan,
 * 第五篇 the city plan whose own slogan says "建设文明泰兴" (so 泰兴市, under 江苏省).
 * Units are the ones each document names; people and committees are exactly those named, with
 * the titles the documents give. Where a document names a body but nobody in it (领导小组办公室,
 * 组委会办公室, 协调、联络小组), the committee exists without members.
 */
export const DEMO_PASSWORD = 'cascade-demo';

export interface DemoTenant {
  key: string;
  name: string;
  code: string;
  level: 'NATIONAL' | 'PROVINCE' | 'CITY' | 'DISTRICT' | 'STREET';
  parent: string | null;
  adminEmail: string;
  units: string[];
  people: { name: string; title: string; unit?: string }[];
  committees: { name: string; members: { person: string; role: string }[] }[];
}

export const DEMO_TENANTS: DemoTenant[] = [
  {
    // 第四篇: "全国整规办、中宣部等18个部门联合印发的《关于开展2024年“保护知识产权宣传周”活动的通知》"
    key: 'national', name: '全国整规办', code: 'CN', level: 'NATIONAL', parent: null,
    adminEmail: 'admin@national.demo', units: ['全国整规办', '中宣部'], people: [], committees: [],
  },
  {
    // 第一篇: the 兵团 units at the opening ceremony, the forum, the joint enforcement and the 巡回展
    key: 'bingtuan', name: '新疆生产建设兵团', code: 'XJBT', level: 'PROVINCE', parent: 'national',
    adminEmail: 'admin@bingtuan.demo',
    units: ['兵团整规办', '兵团党委宣传部', '兵团知识产权局', '兵团科技局', '兵团商务局', '兵团公安局', '兵团质量技术监督局', '兵团食品药品监督管理局'],
    people: [{ name: '阿勒布斯拜.拉合木', title: '兵团党委常委、副司令员' }],
    committees: [],
  },
  {
    // 第一篇: "师市政府办、党工委、整规办、宣传部、知识产权局、贸易局、文体委、总工会、公安局、开发区管委会、
    // 工商局、质监局、药监局和新闻媒体等单位按照职能进行了任务分工"; 工商局 is "××市工商局" in the text
    key: 'bashi', name: '第八师石河子市', code: 'XJBT-8', level: 'CITY', parent: 'bingtuan',
    adminEmail: 'admin@bashi.demo',
    units: [
      '师市政府办', '师市党工委', '师市整规办', '师市党委宣传部', '师市知识产权局', '师市贸易局', '师市文体委', '师市总工会',
      '师市公安局', '师市开发区管委会', '石河子市工商局', '师市质监局', '师市药监局', '师市新闻媒体',
    ],
    people: [
      { name: '张祖树', title: '八师党委常委、八师副师长' },
      { name: '牟中庆', title: '师市党委副秘书长' },
      { name: '余继志', title: '八师党委常委、师长' },
    ],
    committees: [
      {
        name: '师市保护知识产权宣传周活动领导小组',
        members: [
          { person: '张祖树', role: '组长' },
          { person: '牟中庆', role: '副组长' },
        ],
      },
      // "成立了师市保护知识产权宣传周活动领导小组及办公室": the office is named, nobody in it
      { name: '师市保护知识产权宣传周活动领导小组办公室', members: [] },
    ],
  },
  {
    // 第三篇: every body the calendar names; "组委会办公室" leads the 成果展
    key: 'zhejiang', name: '浙江省', code: 'ZJ', level: 'PROVINCE', parent: 'national',
    adminEmail: 'admin@zhejiang.demo',
    units: [
      '组委会办公室', '省整规办(保知办)', '省知识产权领导小组办公室', '省知识产权局', '省工商局', '省版权局', '省文化厅',
      '省司法厅', '省普法办', '省外经贸厅', '省高院', '杭州海关',
    ],
    people: [], committees: [],
  },
  {
    // "各市整规将于4月22日—26日在杭州联合举办" (第三篇)
    key: 'hangzhou', name: '杭州市', code: 'ZJ-HZ', level: 'CITY', parent: 'zhejiang',
    adminEmail: 'admin@hangzhou.demo', units: ['市整规办'], people: [], committees: [],
  },
  {
    // 第四篇: "《福建省整规综合办公室关于印发2024年保护知识产权宣传周活动总体方案的通知》"
    key: 'fujian', name: '福建省', code: 'FJ', level: 'PROVINCE', parent: 'national',
    adminEmail: 'admin@fujian.demo', units: ['福建省整规综合办公室'], people: [], committees: [],
  },
  {
    // 第四篇: the district reports to "市整规（保知）办"
    key: 'fuzhou', name: '福州市', code: 'FJ-FZ', level: 'CITY', parent: 'fujian',
    adminEmail: 'admin@fuzhou.demo', units: ['市整规（保知）办'], people: [], committees: [],
  },
  {
    key: 'gulou', name: '鼓楼区', code: 'FJ-FZ-GL', level: 'DISTRICT', parent: 'fuzhou',
    adminEmail: 'admin@gulou.demo',
    units: ['区整规（保知）办', '区委宣传部', '区政府办', '鼓楼公安分局', '区司法局', '区贸发局', '区外经贸局', '区文体局', '区工商局', '区卫生局', '区招商办'],
    // the roster (附): name and title as written; a unit where the title names one
    people: [
      { name: '许铭忠', title: '区委常委、区政府常务副区长' },
      { name: '董大理', title: '区政府副调研员' },
      { name: '柯坚强', title: '区贸发局副局长', unit: '区贸发局' },
      { name: '林诚', title: '区政府办副主任', unit: '区政府办' },
      { name: '陈震东', title: '鼓楼公安治安支队大队长', unit: '鼓楼公安分局' },
      { name: '陈章明', title: '区司法局副局长', unit: '区司法局' },
      { name: '林桂平', title: '区招商办副主任', unit: '区招商办' },
      { name: '张玉珍', title: '区文体局副局长', unit: '区文体局' },
      { name: '孙建国', title: '区工商局副局长', unit: '区工商局' },
      { name: '陈玉麟', title: '区卫生局副局长', unit: '区卫生局' },
    ],
    committees: [
      {
        name: '2024年福州市鼓楼区“保护知识产权宣传周”活动组委会',
        members: [
          { person: '许铭忠', role: '主任' },
          { person: '董大理', role: '副主任' },
          ...['柯坚强', '林诚', '陈震东', '陈章明', '林桂平', '张玉珍', '孙建国', '陈玉麟'].map((person) => ({ person, role: '成员' })),
        ],
      },
      // "组委会在区整规（保知）办设立办公室，负责统筹协调宣传周活动": nobody named in it
      { name: '组委会办公室（设在区整规（保知）办）', members: [] },
    ],
  },
  {
    // 第五篇 is not 福州市's: its own slogan reads "尊重知识产权，建设文明泰兴"
    key: 'jiangsu', name: '江苏省', code: 'JS', level: 'PROVINCE', parent: 'national',
    adminEmail: 'admin@jiangsu.demo', units: [], people: [], committees: [],
  },
  {
    // 第五篇 二、主办单位 (新华书店 and 邮政局 own slogans (5) and (6))
    key: 'taixing', name: '泰兴市', code: 'JS-TX', level: 'CITY', parent: 'jiangsu',
    adminEmail: 'admin@taixing.demo',
    units: ['市委宣传部', '市知识产权局', '市文化局', '市新闻出版局', '市工商局', '市公安局', '市新华书店', '市邮政局'],
    people: [],
    // "协调、联络小组设在市文化局，联系人：（待定）": the group exists, its contact is still to be named
    committees: [{ name: '协调、联络小组（设在市文化局）', members: [] }],
  },
];

/** Extra demo accounts: an editor at the venue tenant, a viewer at the Corps. */
export const DEMO_EXTRA_USERS = [
  { tenant: 'bashi', email: 'editor@bashi.demo', name: '八师宣传周编辑', role: 'EDITOR' },
  { tenant: 'bingtuan', email: 'viewer@bingtuan.demo', name: '兵团整规办观察员', role: 'VIEWER' },
] as const;
