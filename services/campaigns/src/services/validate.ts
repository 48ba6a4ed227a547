import { badInput } from '@cascade/kernel';

export function validDate(value: unknown, field: string): Date {
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime())) throw badInput(`${field} is not a valid date-time`, field);
  return date;
}

/** The calendar day (Asia/Shanghai) of an instant, as YYYY-MM-DD. */
export function shanghaiDay(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/** An update's field: the value given (null included: it clears), or the current one when left out. */
export function given<T>(value: T | undefined, current: T): T {
  return value === undefined ? current : value;
}
