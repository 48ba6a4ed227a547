import { badInput } from '@cascade/kernel';

/** Trims a required text field and checks its length; BAD_USER_INPUT names the field. */
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

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function email(value: string, field = 'email'): string {
  const text = value.trim().toLowerCase();
  if (!EMAIL.test(text) || text.length > 254) throw badInput('email is not a valid address', field);
  return text;
}
