import { DemoActivity, DemoCampaign, shanghai, WEEK_2024, WHOLE_WEEK } from '../types';

/**
 * 第三篇: the Zhejiang calendar ("保护知识产权宣传周"活动计划). A plan: every item it lists is an
 * activity of the bodies that run it, no figure recorded. Only the 成果展 has days (4月22日—26日,
 * in 杭州); the rest are placed in the week. "省级相关部门" and "各市整规" co-organise the 成果展 but are
 * not named, so they are not entered.
 */
const week = (title: string, kind: DemoActivity['kind'], lead: string, supporting?: string[]): DemoActivity => ({
  title, kind, ...WHOLE_WEEK, lead, ...(supporting ? { supporting } : {}),
});

export const ZHEJIANG_CALENDAR: DemoCampaign = {
  key: 'zhejiang', tenant: 'zhejiang', implements: 'national', ...WEEK_2024, status: 'PUBLISHED',
  title: '浙江省“保护知识产权宣传周”活动计划',
  activities: [
    // "组委会办公室、省级相关部门、各市整规将于4月22日—26日在杭州联合举办“浙江省保护知识产权成果展”"
    {
      title: '浙江省保护知识产权成果展', kind: 'EXHIBITION', startsAt: shanghai('2024-04-22 09:00'), endsAt: shanghai('2024-04-26 18:00'),
      location: '杭州', lead: '组委会办公室',
    },
    // 省整规办(保知办)、省知识产权领导小组办公室、省级相关部门
    week('“XX年浙江省知识产权保护状况”新闻发布会', 'MEDIA_INTERVIEW', '省整规办(保知办)', ['省知识产权领导小组办公室']),
    // 省知识产权局
    week('以PCT国际专利申请为主要内容的报告会', 'TRAINING', '省知识产权局'),
    week('以企业创新与知识产权为主题的研讨会', 'FORUM', '省知识产权局'),
    week('浙江与美国加州知识产权论坛', 'FORUM', '省知识产权局'),
    // 省工商局
    week('公布商标侵权十大典型案例', 'OTHER', '省工商局'),
    week('地理标志产品专用标志推广运用工作会', 'FORUM', '省工商局'),
    week('发布XX年浙江省维权蓝皮书—打假保品牌报告', 'OTHER', '省工商局'),
    week('知名品牌保护联络网会议', 'FORUM', '省工商局'),
    week('印发《商标国际注册指南》', 'OTHER', '省工商局'),
    // 省版权局
    week('运用“第五媒体”《浙江手机报》开展版权保护成果宣传', 'MEDIA_INTERVIEW', '省版权局'),
    week('通过媒体播放版权保护公益广告', 'OTHER', '省版权局'),
    // 省文化厅
    week('违法音像制品销毁活动', 'DESTRUCTION', '省文化厅'),
    // 省司法厅、普法办
    week('送法进机关、进乡村、进社区、进学校、进企业活动', 'OTHER', '省司法厅', ['省普法办']),
    // 省外经贸厅、知识产权局
    week('在浙投资经营的美国、欧盟、日本、韩国等企业参加的座谈会', 'FORUM', '省外经贸厅', ['省知识产权局']),
    // 省高院
    week('颁布《浙江省高级人民法院关于加大知识产权司法保护力度，为建设创新型省份提供司法保障的意见》', 'OTHER', '省高院'),
    week('新闻发布会：通报全省法院XX年知识产权司法保护的总体情况，公布全省法院XX十大知识产权典型案例', 'MEDIA_INTERVIEW', '省高院'),
    week('全省知识产权审判工作座谈会', 'FORUM', '省高院'),
    week('典型知识产权案件公开审理、公开宣判', 'OTHER', '省高院'),
    // 杭州海关
    week('海关与知识产权权利人的对话会', 'FORUM', '杭州海关'),
    week('评选杭州海关知识产权保护十大经典案例', 'OTHER', '杭州海关'),
    week('近期查获的知识产权侵权货物销毁或捐赠公益事业', 'DESTRUCTION', '杭州海关'),
    week('在关区各关设立知识产权海关保护举报热线', 'OTHER', '杭州海关'),
  ],
};
