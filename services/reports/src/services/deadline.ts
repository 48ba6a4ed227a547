/**
 * Report deadlines are days in Asia/Shanghai (UTC+8, no daylight saving): a report due on
 * 2024-04-30 is on time until 23:59:59.999 that day in Beijing.
 */
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

export function endOfShanghaiDay(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) + 24 * 3600 * 1000 - SHANGHAI_OFFSET_MS - 1;
}

/** Submitted after the due day, or not submitted and the day has passed. No due date: never late. */
export function isLate(dueOn: string | null, submittedAt: Date | null, now = Date.now()): boolean {
  if (!dueOn) return false;
  const deadline = endOfShanghaiDay(dueOn);
  return submittedAt ? submittedAt.getTime() > deadline : now > deadline;
}

/** "2024年4月30日": the Asia/Shanghai day of an instant, as the end of an official document writes it. */
export function shanghaiDate(at: Date): string {
  const d = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/** "2024-04-30": the Asia/Shanghai day of an instant. */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}
