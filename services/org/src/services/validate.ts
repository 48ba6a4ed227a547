import { badInput } from '@cascade/kernel';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function email(value: string, field = 'email'): string {
  const text = value.trim().toLowerCase();
  if (!EMAIL.test(text) || text.length > 254) throw badInput('email is not a valid address', field);
  return text;
}
