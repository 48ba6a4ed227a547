/**
 * The demo tenant tree and directory, read from the seed documents (shared/seed): the
 * 八师 work summaries, the Zhejiang calendar, the Gulou district plan and the city plan.
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
    key: 'national', name: '全国整规办', code: 'CN', level: 'NATIONAL', parent: null,
    adminEmail: 'admin@national.demo', units: ['全国整规办'], people: [], committees: [],
  },
  {
    key: 'bingtuan', name: '新疆生产建设兵团', code: 'XJBT', level: 'PROVINCE', parent: 'national',
    adminEmail: 'admin@bingtuan.demo',
    units: ['兵团整规办', '兵团党委宣传部', '兵团知识产权局', '兵团科技局', '兵团商务局', '兵团公安局', '兵团质量技术监督局', '兵团食品药品监督管理局'],
    people: [], committees: [],
  },
  {
    key: 'bashi', name: '第八师石河子市', code: 'XJBT-8', level: 'CITY', parent: 'bingtuan',
    adminEmail: 'admin@bashi.demo',
    units: ['师市整规办', '师市党委宣传部', '师市知识产权局', '师市政府办', '师市工商局', '师市公安局', '师市质监局', '师市食品药品监督管理局', '师市贸易局', '师市文体委'],
    people: [
      { name: '张祖树', title: '八师党委常委、八师副师长' },
      { name: '牟中庆', title: '师市党委副秘书长' },
    ],
    committees: [
      {
        name: '师市保护知识产权宣传周活动领导小组',
        members: [
          { person: '张祖树', role: '组长' },
          { person: '牟中庆', role: '副组长' },
        ],
      },
    ],
  },
  {
    key: 'zhejiang', name: '浙江省', code: 'ZJ', level: 'PROVINCE', parent: 'national',
    adminEmail: 'admin@zhejiang.demo',
    units: ['省整规办(保知办)', '省知识产权领导小组办公室', '省知识产权局', '省工商局', '省文化厅', '省司法厅', '省外经贸厅', '省高院', '杭州海关'], people: [], committees: [],
  },
  {
    key: 'hangzhou', name: '杭州市', code: 'ZJ-HZ', level: 'CITY', parent: 'zhejiang',
    adminEmail: 'admin@hangzhou.demo', units: ['市整规办'], people: [], committees: [],
  },
  {
    key: 'fujian', name: '福建省', code: 'FJ', level: 'PROVINCE', parent: 'national',
    adminEmail: 'admin@fujian.demo', units: ['省整规办'], people: [], committees: [],
  },
  {
    key: 'fuzhou', name: '福州市', code: 'FJ-FZ', level: 'CITY', parent: 'fujian',
    adminEmail: 'admin@fuzhou.demo',
    units: ['市委宣传部', '市知识产权局', '市文化局', '市新闻出版局', '市工商局', '市公安局', '市新华书店', '市邮政局'],
    people: [], committees: [],
  },
  {
    key: 'gulou', name: '鼓楼区', code: 'FJ-FZ-GL', level: 'DISTRICT', parent: 'fuzhou',
    adminEmail: 'admin@gulou.demo',
    units: ['区整规（保知）办', '区委宣传部', '区政府办', '鼓楼公安分局', '区司法局', '区贸发局', '区外经贸局', '区文体局', '区工商局', '区卫生局', '区招商办'],
    people: [
      { name: '许铭忠', title: '区委常委、区政府常务副区长' },
      { name: '董大理', title: '区政府副调研员', unit: '区政府办' },
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
    ],
  },
];

/** Extra demo accounts: an editor at the venue tenant, a viewer at the Corps. */
export const DEMO_EXTRA_USERS = [
  { tenant: 'bashi', email: 'editor@bashi.demo', name: '八师宣传周编辑', role: 'EDITOR' },
  { tenant: 'bingtuan', email: 'viewer@bingtuan.demo', name: '兵团整规办观察员', role: 'VIEWER' },
] as const;
