import { Report, ReportSection } from '../entities';
import { chineseNumeral } from '../docx/chinese-text';
import { shanghaiDate } from './deadline';

/**
 * The whole report as plain text: the title, "一、heading" and its paragraphs, then the office
 * and the date, numbered as the .docx numbers them (一 … 二百). A section without a heading is not numbered.
 */
export function reportText(report: Report, sections: ReportSection[]): string {
  const parts = [report.title, ''];
  let number = 0;
  for (const section of sections) {
    if (section.heading) parts.push(`${chineseNumeral(++number)}、${section.heading}`);
    if (section.body.trim()) parts.push(section.body.trim());
    parts.push('');
  }
  parts.push(report.office, shanghaiDate(report.submittedAt ?? report.generatedAt));
  return parts.join('\n');
}
