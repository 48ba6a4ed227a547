import { badInput } from './errors';

/** Trims a required text field and checks its length; BAD_USER_INPUT names the field. */
export function requiredText(value: string | null | undefined, field: string, max: number): string {
  const text = (value ?? '').trim();
  if (!text) throw badInput(`${field} must not be empty`, field);
  if (text.length > max) throw badInput(`${field} must be at most ${max} characters`, field);
  return text;
}

/** Trims an optional text field: empty becomes null; too long is BAD_USER_INPUT. */
export function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  const text = (value ?? '').trim();
  if (!text) return null;
  if (text.length > max) throw badInput(`${field} must be at most ${max} characters`, field);
  return text;
}
