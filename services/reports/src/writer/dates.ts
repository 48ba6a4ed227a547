import { shanghaiParts } from '@cascade/kernel';

/**
 * Dates as the summaries write them, in Asia/Shanghai days: "4月20日", "4月22日—23日",
 * "4月21日上午", "2024年4月20日至26日". A value that is not a date writes nothing (never NaN).
 */

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function calendarDay(value: string): { year: number; month: number; day: number } | null {
  const match = DAY.exec(value);
  if (!match) return null;
  const [year, month, day] = match.slice(1).map(Number);
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** The campaign's window: "2024年4月20日至26日", "2024年4月28日至5月3日"; '' when not dates. */
export function periodText(startsOn: string, endsOn: string): string {
  const start = calendarDay(startsOn);
  if (!start) return '';
  const first = `${start.year}年${start.month}月${start.day}日`;
  const end = calendarDay(endsOn);
  if (!end || endsOn <= startsOn) return first;
  if (end.year !== start.year) return `${first}至${end.year}年${end.month}月${end.day}日`;
  if (end.month !== start.month) return `${first}至${end.month}月${end.day}日`;
  return `${first}至${end.day}日`;
}

/**
 * An activity's days: "4月20日", "4月22日—23日", "4月30日—5月2日"; on one day, the half-day when
 * the whole activity lies in it ("4月21日上午": 08:00–12:00 of a forum). '' when not a date.
 */
export function activityWhen(startsAt: string, endsAt: string | null): string {
  const start = shanghaiParts(startsAt);
  if (!start) return '';
  const first = `${start.month}月${start.day}日`;
  const end = endsAt ? shanghaiParts(endsAt) : null;
  if (!end || new Date(endsAt!).getTime() <= new Date(startsAt).getTime()) return first;
  const sameDay = end.year === start.year && end.month === start.month && end.day === start.day;
  if (!sameDay) return end.year === start.year && end.month === start.month ? `${first}—${end.day}日` : `${first}—${end.month}月${end.day}日`;
  const from = start.hour * 60 + start.minute;
  const to = end.hour * 60 + end.minute;
  if (to <= 12 * 60) return `${first}上午`;
  if (from >= 12 * 60 && to <= 18 * 60) return `${first}下午`;
  if (from >= 18 * 60) return `${first}晚上`;
  return first;
}
