import { hashPassword, hashPasswordSync, UNKNOWN_USER_HASH, verifyPassword } from '../services/org/src/services/password';
import { checkPassword, MIN_PASSWORD_LENGTH, passwordProblem } from '../services/org/src/services/password-policy';

/** org's password helpers on their own: scrypt hashes and the policy (API.md "Sign-in"). */
describe('password hashes', () => {
  it('verify the password they were made from, and no other', async () => {
    const stored = await hashPassword('长城-风-2024-spring');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword('长城-风-2024-spring', stored)).toBe(true);
    expect(await verifyPassword('长城-风-2024-sprinG', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('are salted: the same password hashes differently each time (sync and async alike)', async () => {
    const a = await hashPassword('same password here');
    const b = hashPasswordSync('same password here');
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password here', b)).toBe(true);
  });

  it('a stored value that is not one of ours verifies nothing; the unknown-user hash matches no password', async () => {
    for (const stored of ['', 'plain-text-password', 'bcrypt$2b$10$abc', 'scrypt$16384$8$1$$']) {
      expect(await verifyPassword('plain-text-password', stored)).toBe(false);
    }
    expect(await verifyPassword('', UNKNOWN_USER_HASH)).toBe(false);
    expect(await verifyPassword('cascade-demo', UNKNOWN_USER_HASH)).toBe(false);
  });
});

describe('the password policy', () => {
  it(`accepts ${MIN_PASSWORD_LENGTH}+ characters that are neither the email nor common`, () => {
    expect(passwordProblem('橙子-Lantern-42', 'wang@city.test')).toBeNull();
    expect(() => checkPassword('橙子-Lantern-42', 'wang@city.test')).not.toThrow();
  });

  it('refuses too short or too long, the email or its local part (any case), and common passwords', () => {
    expect(passwordProblem('short-1', 'a@b.test')).toMatch(/10 to 200 characters/);
    expect(passwordProblem('x'.repeat(201), 'a@b.test')).toMatch(/10 to 200 characters/);
    expect(passwordProblem('Wangxiaoming@City.test', 'wangxiaoming@city.test')).toMatch(/email/);
    expect(passwordProblem(' WANGXIAOMING ', 'wangxiaoming@city.test')).toMatch(/email/);
    expect(passwordProblem('1234567890', 'a@b.test')).toMatch(/too common/);
    expect(passwordProblem('Password123', 'a@b.test')).toMatch(/too common/);
    expect(passwordProblem(undefined as unknown as string, 'a@b.test')).toMatch(/characters/);
  });

  it('checkPassword answers BAD_USER_INPUT on the password field', () => {
    expect(() => checkPassword('1234567890', 'a@b.test')).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'password' } }));
  });
});
