import { badInput } from '@cascade/kernel';
import { dictionary } from '@zxcvbn-ts/language-common';

export const MIN_PASSWORD_LENGTH = 10;
const MAX_PASSWORD_LENGTH = 200;

/**
 * The common passwords of zxcvbn-ts's maintained list (leaked-password frequency lists), in
 * lower case; only those long enough to pass the length rule need to be held.
 */
const COMMON_PASSWORDS = new Set(
  dictionary['passwords-common'].map((word) => word.toLowerCase()).filter((word) => word.length >= MIN_PASSWORD_LENGTH),
);

/**
 * Why this password is refused for this account, or null (API.md: at least 10 characters,
 * not the email, not a common password). Case is ignored for the email and the list.
 */
export function passwordProblem(password: string, email: string): string | null {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    return `password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`;
  }
  const lower = password.trim().toLowerCase();
  const address = email.trim().toLowerCase();
  if (lower === address || lower === address.split('@')[0]) return 'password must not be the email address';
  if (COMMON_PASSWORDS.has(lower)) return 'password is too common: choose one that is not on lists of leaked passwords';
  return null;
}

/** For createUser: BAD_USER_INPUT on the password field. */
export function checkPassword(password: string, email: string): void {
  const problem = passwordProblem(password, email);
  if (problem) throw badInput(problem, 'password');
}
