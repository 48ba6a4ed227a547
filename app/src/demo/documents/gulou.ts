import { DemoActivity, DemoCampaign, shanghai, WEEK_2024, WHOLE_WEEK } from '../types';

/**
 * 第四篇: 福州市鼓楼区2024年“保护知识产权宣传周”活动总体方案 (区整规综合办公室). It implements the
 * Fujian plan it cites (and through it the national notice), not a 福州市 plan: none is cited.
 * A plan, so no figure is recorded; its summary is due "于4月30日前" and stands as a DRAFT whose
 * missing figures are flagged: the plan's own activities hand out materials, answer questions and
 * take complaints ("向群众发放宣传资料…开展知识产权举报投诉受理和咨询服务"), so the directive
 * requires those three figures of every report under it, and nothing has been recorded.
 * The plan is dated "二OO八年四月二十一日" (sic) in a 2024 plan; the week is 2024's.
 */
const industryAndCommerce = (title: string, kind: DemoActivity['kind']): DemoActivity => ({ title, kind, ...WHOLE_WEEK, lead: '区工商局' });

export const GULOU_PLAN: DemoCampaign = {
  key: 'gulou', tenant: 'gulou', implements: 'fujian', ...WEEK_2024, status: 'IN_PROGRESS', report: 'DRAFT',
  title: '福州市鼓楼区2024年“保护知识产权宣传周”活动总体方案',
  theme: '保护知识产权，促进创新发展',
  reportDueOn: '2024-04-30',
  requiredIndicators: ['MATERIALS_DISTRIBUTED', 'CONSULTATIONS', 'COMPLAINTS_RECEIVED'],
  focusPoints: [
    '保护知识产权对贯彻落实党的十七大精神、构建和谐社会的重要意义，知识产权制度在推动科技进步和国民经济又好又快发展中的作用',
    '我国政府保护知识产权的原则立场，市委、市政府、区委、区政府对知识产权工作的部署，省、市、区保护知识产权的重大举措',
    '各街镇、各部门开展保护知识产权工作的经验和成果',
    '加强知识产权行政执法与刑事司法，打击侵犯知识产权违法犯罪行为的典型案例及启示',
    '保护知识产权工作的国际交流与合作情况',
    '企业保护知识产权、创造自主品牌和企业打假维权的做法、经验及典型事例',
  ],
  activities: [
    // （一）"4月25日，由区整规（保知）办联合组织区工商局，在817北路大洋百货前举办…开幕式"
    {
      title: '2024年“保护知识产权宣传周”活动开幕式', kind: 'OPENING_CEREMONY', startsAt: shanghai('2024-04-25 09:00'),
      location: '817北路大洋百货前', lead: '区整规（保知）办', supporting: ['区工商局'],
    },
    // "区组委会有关成员单位和鼓楼区对口单位在大洋百货前广场设点" (which members is not said)
    { title: '保护知识产权现场宣传咨询活动', kind: 'CONSULTATION', startsAt: shanghai('2024-04-25 09:00'), location: '大洋百货前广场' },
    // （二）"宣传周期间，区工商系统围绕…向新闻媒体开展宣传报道，设立法律咨询点、印发宣传资料，接受群众咨询；并召开驰名
    // 商标企业座谈会…；与新闻媒体合作开辟“保护知识产权”专栏；利用本局宣传栏、窗口、电子显示屏、网站开展…宣传活动。
    // 同时开展“保护知识产权”专项执法打假工作" (titles as noun phrases: the summary writes "开展<title>")
    industryAndCommerce('商标法律法规、奥林匹克标志专有权保护知识及保护商标专用权典型案例新闻宣传报道', 'MEDIA_INTERVIEW'),
    industryAndCommerce('法律咨询点咨询服务及宣传资料印发', 'CONSULTATION'),
    industryAndCommerce('驰名商标企业座谈会', 'FORUM'),
    industryAndCommerce('与新闻媒体合作开辟的“保护知识产权”专栏宣传', 'MEDIA_INTERVIEW'),
    industryAndCommerce('本局宣传栏、窗口、电子显示屏、网站“保护知识产权”宣传', 'OTHER'),
    industryAndCommerce('“保护知识产权”专项执法打假', 'JOINT_ENFORCEMENT'),
    // （三）"各街镇组织辖区有关单位在宣传周期内开展各类宣传活动" (no 街镇 is named)
    { title: '各街镇辖区有关单位各类宣传活动', kind: 'OTHER', ...WHOLE_WEEK },
  ],
  tasks: [
    // "（广场活动方案另行印发）"
    { unit: '区整规（保知）办', title: '另行印发大洋百货前广场活动方案' },
    // 五、（三）"于4月30日前将书面材料报送区整规（保知）办汇总后报市整规（保知）办"
    { unit: '区整规（保知）办', title: '汇总区组委会有关成员单位、各街镇“宣传周”总结书面材料，报市整规（保知）办', dueOn: '2024-04-30' },
  ],
};
