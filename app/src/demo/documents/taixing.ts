import { DemoCampaign, shanghai, WEEK_2024, WHOLE_WEEK } from '../types';

/**
 * 第五篇: "XX市2024年保护知识产权宣传周活动方案". Its own slogan (5) reads "尊重知识产权，建设文明泰兴",
 * so it is 泰兴市's plan (江苏省), not 福州市's: its 鼓楼广场 is 泰兴's square, and no other
 * campaign implements it. It cites no directive above it, so it implements none.
 * A plan: the activities' participating units (参与单位: no 牵头 is named, so all are listed as
 * taking part), their 分工 as tasks, and what the plan expects as targets — no result recorded.
 * The "（待定）" of the theme, the places and the contact are kept as the plan writes them; the
 * destruction's place "（xxx）" was never filled in, so it has none.
 */
const ALL_ORGANISERS = ['市委宣传部', '市知识产权局', '市文化局', '市新闻出版局', '市工商局', '市公安局', '市新华书店', '市邮政局'];

export const TAIXING_PLAN: DemoCampaign = {
  key: 'taixing', tenant: 'taixing', ...WEEK_2024, status: 'PUBLISHED',
  title: '泰兴市2024年保护知识产权宣传周活动方案',
  theme: '保护知识产权，打击侵权盗版（待定）',
  activities: [
    {
      // （一）"时间2024年4月26日…上午9：00开始。地点：鼓楼广场。参与单位：市知识产权局、市文化局、市新闻出版局。"
      title: '“世界知识产权日”广场宣传咨询活动', kind: 'CONSULTATION', startsAt: shanghai('2024-04-26 09:00'), location: '鼓楼广场',
      supporting: ['市知识产权局', '市文化局', '市新闻出版局'],
      // "各参与单位分别在鼓楼广场挂出一条宣传横幅…共同在鼓楼广场南侧（与国庆路相连）设置咨询服务台"
      targets: [['BANNERS', 3], ['CONSULTATION_POINTS', 1]],
    },
    {
      // （二）"时间：2024年4月23日…上午9：00开始。地点：（xxx）。参与开展活动的单位：所有主办单位、音像制品经营单位负责人50名、学生300名。"
      title: '销毁非法音像制品活动', kind: 'DESTRUCTION', startsAt: shanghai('2024-04-23 09:00'),
      supporting: ALL_ORGANISERS,
      targets: [['PARTICIPANTS', 350]],
    },
    {
      // （三）"时间：2024年4月20日-22日。参与开展活动的单位：市知识产权局、市新闻出版局。地点：有关企业（待定）。"
      title: '走进企业服务宣传活动', kind: 'ENTERPRISE_VISIT', startsAt: shanghai('2024-04-20 08:00'), endsAt: shanghai('2024-04-22 18:00'),
      location: '有关企业（待定）', supporting: ['市知识产权局', '市新闻出版局'],
    },
    {
      // （四）"时间：2024年4月20日-26日。参与单位：市文化局、市新闻出版局、市公安局、工商局"
      title: '收缴非法音像制品专项行动', kind: 'JOINT_ENFORCEMENT', ...WHOLE_WEEK,
      supporting: ['市文化局', '市新闻出版局', '市公安局', '市工商局'],
    },
  ],
  tasks: [
    // （一）4、"各参与单位分别在鼓楼广场挂出一条宣传横幅…分别印制和发放有关宣传材料"
    ...['市知识产权局', '市文化局', '市新闻出版局'].map((unit) => ({ unit, title: '在鼓楼广场挂出一条宣传横幅，印制和发放有关宣传材料', dueOn: '2024-04-26' })),
    // （二）4、分工
    { unit: '市文化局', title: '销毁非法音像制品活动：负责会场布置、人员组织', dueOn: '2024-04-23' },
    { unit: '市新闻出版局', title: '销毁非法音像制品活动：负责会场布置、人员组织', dueOn: '2024-04-23' },
    { unit: '市公安局', title: '销毁非法音像制品活动：负责维持活动秩序', dueOn: '2024-04-23' },
    // （三）5、分工
    { unit: '市知识产权局', title: '走进企业：负责宣传知识产权保护的有关知识', dueOn: '2024-04-22' },
    { unit: '市新闻出版局', title: '走进企业：负责落实软件正版化的有关工作', dueOn: '2024-04-22' },
    // 六、"我市知识产权宣传周活动由市文化局、市新闻出版局负责协调"
    { unit: '市文化局', title: '负责宣传周活动协调（协调、联络小组设在市文化局）' },
    { unit: '市新闻出版局', title: '负责宣传周活动协调' },
  ],
  // 七、宣传周口号（横幅制作安排）; (1) reads "4〃26" in the plan: the 4·26 of the day it celebrates
  slogans: [
    { text: '庆祝4·26世界知识产权日。', unit: '市知识产权局' },
    { text: '尊重知识产权，维护市场秩序。', unit: '市工商局' },
    { text: '保护知识产权，打击侵权盗版。', unit: '市文化局' },
    { text: '努力营造保护知识产权的法治环境。', unit: '市公安局' },
    { text: '尊重知识产权，建设文明泰兴。', unit: '市新华书店' },
    { text: '提高全民意识，保护知识产权。', unit: '市邮政局' },
  ],
};
