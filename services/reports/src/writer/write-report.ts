import { formatCount } from '@cascade/kernel';
import { activitiesBody } from './activities';
import { periodText } from './dates';
import { leadershipBody } from './leadership';
import { reportingBody } from './reporting';
import { resultsSection } from './results';
import { oneLine } from './text';
import { campaignName, reportTitle } from './title';
import { GeneratedMissing, GeneratedReport, GeneratedSection, ReportSource } from './types';

/**
 * A 工作总结 in the layout of the 第八师 summaries, from data only: a pure function (no clock, no
 * I/O), the same source always giving the same report. Sections, in the API's order:
 *   leadership 组织领导 (opening with what was done and when, then the committees)
 *   activities 活动开展情况
 *   results    主要成效
 *   reporting  下级单位报送情况 (only with direct child tenants)
 *   lessons    几点体会     (free: people write it)
 *   next       下一步工作   (free)
 * Every number is written by the kernel's figures formatter; a figure that is due and was not
 * recorded reads "（未统计）" and is listed in `missing`.
 */
export function writeReport(source: ReportSource): GeneratedReport {
  const name = campaignName(source.campaign.title, source.tenant.name);
  const missing: GeneratedMissing[] = [];
  const activities = (source.activities ?? []).filter(Boolean);
  // activities' missing figures first (in date order), then the report's own
  const activitiesText = activitiesBody(activities, missing);
  const { body: resultsText, figures } = resultsSection(source.totals ?? [], source.requiredIndicators ?? [], missing);

  const sections: GeneratedSection[] = [
    { key: 'leadership', heading: '组织领导', body: [openingBody(source, name, activities.length), leadershipBody({ ...source, activities }, '此次活动')].join('\n'), generated: true },
    { key: 'activities', heading: '活动开展情况', body: activitiesText, generated: true },
    { key: 'results', heading: '主要成效', body: resultsText, generated: true },
  ];
  if ((source.children ?? []).length) {
    sections.push({ key: 'reporting', heading: '下级单位报送情况', body: reportingBody(source.children), generated: true });
  }
  sections.push(
    { key: 'lessons', heading: '几点体会', body: '', generated: false },
    { key: 'next', heading: '下一步工作', body: '', generated: false },
  );
  return { title: reportTitle(source.campaign.title, source.tenant.name), sections, figures, missing };
}

/**
 * The first paragraph, in the first section (the API's sections start with 组织领导):
 * "2024年4月20日至26日，第八师石河子市围绕“…”主题，组织开展了…活动，共开展各类活动5项。"
 */
function openingBody(source: ReportSource, name: string, activityCount: number): string {
  const period = periodText(source.campaign.startsOn, source.campaign.endsOn);
  const tenant = oneLine(source.tenant.name);
  const theme = oneLine(source.campaign.theme);
  const themed = theme && theme !== '待定' ? `围绕“${theme}”主题，` : '';
  const count = activityCount ? `，共开展各类活动${formatCount(activityCount, false, '项')}` : '';
  return `${period ? `${period}，` : ''}${tenant}${themed}组织开展了${name}${count}。`;
}
