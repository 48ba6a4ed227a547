import { VerifiedTokens } from '@cascade/gateway';
import { issueToken } from '@cascade/kernel';

const SECRET = 'jwt-secret-for-verified-tokens-test';
const claims = { userId: '7', tenantId: '3', tenantPath: '/1/3/', role: 'EDITOR' as const, root: false };
const now = () => Math.floor(Date.now() / 1000);
const unauthenticated = expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) });

describe('verified sign-in tokens, remembered briefly by the gateway', () => {
  afterEach(() => jest.useRealTimers());

  it('remembers a verified token and answers the same claims, version and expiry', async () => {
    const tokens = new VerifiedTokens(SECRET);
    const token = await issueToken(claims, SECRET, 3600, undefined, 4);
    const first = await tokens.verify(token);
    expect(first).toMatchObject({ claims: { ...claims, screen: null }, version: 4 });
    expect(tokens.size).toBe(1);
    expect(await tokens.verify(token)).toBe(first);
    expect(tokens.size).toBe(1);
  });

  it('refuses forged and malformed tokens, and remembers none of them', async () => {
    const tokens = new VerifiedTokens(SECRET);
    const forged = await issueToken(claims, 'another-secret-of-16-chars', 3600, undefined, 1);
    await expect(tokens.verify(forged)).rejects.toEqual(unauthenticated);
    await expect(tokens.verify('not.a.token')).rejects.toEqual(unauthenticated);
    expect(tokens.size).toBe(0);
  });

  it('stops answering for a remembered token at its expiry, even when remembered for longer', async () => {
    jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const tokens = new VerifiedTokens(SECRET, 10 * 60_000);
    const token = await issueToken(claims, SECRET, 0, now() + 5, 1);
    await expect(tokens.verify(token)).resolves.toMatchObject({ version: 1 });
    jest.setSystemTime(Date.now() + 6_000);
    await expect(tokens.verify(token)).rejects.toEqual(unauthenticated);
    expect(tokens.size).toBe(0);
  });

  it('verifies again once its time is up', async () => {
    jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const tokens = new VerifiedTokens(SECRET, 1_000);
    const token = await issueToken(claims, SECRET, 3600, undefined, 1);
    const first = await tokens.verify(token);
    jest.setSystemTime(Date.now() + 2_000);
    const again = await tokens.verify(token);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });

  it('holds a bounded number of tokens, dropping the oldest first', async () => {
    const tokens = new VerifiedTokens(SECRET, 60_000, 3);
    const issued = await Promise.all([1, 2, 3, 4, 5].map((v) => issueToken({ ...claims, userId: String(v) }, SECRET, 3600, undefined, v)));
    const answers = [];
    for (const token of issued) answers.push(await tokens.verify(token));
    expect(tokens.size).toBe(3);
    expect(await tokens.verify(issued[4])).toBe(answers[4]); // still remembered
    expect(await tokens.verify(issued[0])).not.toBe(answers[0]); // dropped: verified again
  });
});

describe('a remembered verification is shared, so it cannot be changed', () => {
  it('answers frozen claims', async () => {
    const tokens = new VerifiedTokens(SECRET);
    const verified = await tokens.verify(await issueToken(claims, SECRET, 3600, undefined, 1));
    expect(Object.isFrozen(verified)).toBe(true);
    expect(Object.isFrozen(verified.claims)).toBe(true);
    expect(() => {
      (verified.claims as { tenantPath: string | null }).tenantPath = '/';
    }).toThrow(TypeError);
  });
});
