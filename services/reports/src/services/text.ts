import { Report, ReportSection } from '../entities';
import { shanghaiDate } from './deadline';

const DIGITS = '〇一二三四五六七八九';

/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (section numbers of an official document). */
export function chineseOrdinal(n: number): string {
  if (n < 10) return DIGITS[n];
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones ? DIGITS[ones] : ''}`;
}

/**
 * The whole report as plain text: the title, "一、heading" and its paragraphs, then the office
 * and the date. A section without a heading (the opening paragraph) is not numbered.
 */
export function reportText(report: Report, sections: ReportSection[]): string {
  const parts = [report.title, ''];
  let number = 0;
  for (const section of sections) {
    if (section.heading) parts.push(`${chineseOrdinal(++number)}、${section.heading}`);
    if (section.body.trim()) parts.push(section.body.trim());
    parts.push('');
  }
  parts.push(report.office, shanghaiDate(report.submittedAt ?? report.generatedAt));
  return parts.join('\n');
}
