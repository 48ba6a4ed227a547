import { DemoCampaign, WEEK_2024 } from '../types';

/**
 * The directives the documents cite but do not include: the national notice (第四篇: "全国整规办、
 * 中宣部等18个部门联合印发的《关于开展2024年“保护知识产权宣传周”活动的通知》（整规办发[2024]3号）",
 * whose 活动主题 the Gulou plan repeats) and the Fujian plan the Gulou plan implements. Only what
 * the citing documents say of them is entered: titles, the week, the theme.
 */
export const NATIONAL_NOTICE: DemoCampaign = {
  key: 'national', tenant: 'national', ...WEEK_2024, status: 'PUBLISHED',
  title: '关于开展2024年“保护知识产权宣传周”活动的通知（整规办发[2024]3号）',
  theme: '保护知识产权，促进创新发展',
};

export const FUJIAN_PLAN: DemoCampaign = {
  key: 'fujian', tenant: 'fujian', implements: 'national', ...WEEK_2024, status: 'PUBLISHED',
  title: '福建省2024年保护知识产权宣传周活动总体方案',
};
