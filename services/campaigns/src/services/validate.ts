import { badInput } from '@cascade/kernel';

export function requiredText(value: string | null | undefined, field: string, max: number): string {
  const text = (value ?? '').trim();
  if (!text) throw badInput(`${field} must not be empty`, field);
  if (text.length > max) throw badInput(`${field} must be at most ${max} characters`, field);
  return text;
}

export function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  const text = (value ?? '').trim();
  if (!text) return null;
  if (text.length > max) throw badInput(`${field} must be at most ${max} characters`, field);
  return text;
}

export function validDate(value: unknown, field: string): Date {
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime())) throw badInput(`${field} is not a valid date-time`, field);
  return date;
}

/** The calendar day (Asia/Shanghai) of an instant, as YYYY-MM-DD. */
export function shanghaiDay(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}
