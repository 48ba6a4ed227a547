import { signInternalContext, signSocketContext, verifyInternalContext, verifySocketContext } from '@cascade/kernel';
import { createHmac } from 'node:crypto';

const SECRET = 'internal-secret-0123456789';
const claims = { userId: '7', tenantId: '3', tenantPath: '/1/3/', role: 'EDITOR' as const, root: false };
const BODY = JSON.stringify({ query: '{ me { email } }' });

/** Signs any envelope the way context.ts does (to reproduce what the gateway signed before). */
function signRaw(envelope: object, secret = SECRET) {
  const payload = Buffer.from(JSON.stringify(envelope)).toString('base64url');
  return `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
}
const unauthenticated = expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) });
const now = () => Math.floor(Date.now() / 1000);

describe('signed internal context', () => {
  it('round-trips the claims', () => {
    expect(verifyInternalContext(signInternalContext(claims, SECRET, BODY), SECRET, BODY)).toEqual({ ...claims, screen: null });
    const screen = { linkId: '4', activityId: '9', tenantId: null, campaignId: null };
    expect(verifyInternalContext(signInternalContext({ ...claims, screen }, SECRET, BODY), SECRET, Buffer.from(BODY)).screen).toEqual(screen);
  });

  it.each([
    ['missing', () => undefined],
    ['garbage', () => 'garbage'],
    ['another secret', () => signInternalContext(claims, 'another-secret-0123456789', BODY)],
    ['expired', () => signInternalContext(claims, SECRET, BODY, -1)],
    ['claims changed after signing', () => {
      const [payload, mac] = signInternalContext(claims, SECRET, BODY).split('.');
      const changed = Buffer.from(Buffer.from(payload, 'base64url').toString().replace('/1/3/', '/1/')).toString('base64url');
      return `${changed}.${mac}`;
    }],
    ['extra segment', () => `${signInternalContext(claims, SECRET, BODY)}.x`],
  ])('refuses a %s value with UNAUTHENTICATED', (_label, make) => {
    expect(() => verifyInternalContext(make(), SECRET, BODY)).toThrow(unauthenticated);
  });
});

describe('an internal context replays nothing but its own request (issue 10 item 7)', () => {
  it('an HTTP context is refused with any other body, or with none', () => {
    const signed = signInternalContext(claims, SECRET, BODY);
    expect(() => verifyInternalContext(signed, SECRET, JSON.stringify({ query: 'mutation { signOut }' }))).toThrow(unauthenticated);
    expect(() => verifyInternalContext(signed, SECRET, `${BODY} `)).toThrow(unauthenticated);
    expect(() => verifyInternalContext(signed, SECRET, undefined)).toThrow(unauthenticated);
  });

  it('a context as the gateway signed it before (no binding, valid 60 s or for the token’s life) is refused', () => {
    for (const exp of [now() + 60, now() + 12 * 3600, now() + 90 * 86400]) {
      expect(() => verifyInternalContext(signRaw({ ...claims, exp }), SECRET, BODY)).toThrow(unauthenticated);
      expect(() => verifySocketContext(signRaw({ ...claims, exp }), SECRET)).toThrow(unauthenticated);
    }
  });

  it('a well-signed context valid for longer than a minute is refused, whatever it is bound to', () => {
    const exp = now() + 3600;
    expect(() => verifySocketContext(signRaw({ ...claims, use: 'socket', exp }), SECRET)).toThrow(unauthenticated);
    expect(() => verifyInternalContext(signInternalContext(claims, SECRET, BODY, 3600), SECRET, BODY)).toThrow(unauthenticated);
  });

  it('an HTTP context opens no socket, and a socket context answers no HTTP request', () => {
    expect(() => verifySocketContext(signInternalContext(claims, SECRET, BODY), SECRET)).toThrow(unauthenticated);
    expect(() => verifyInternalContext(signSocketContext(claims, SECRET), SECRET, BODY)).toThrow(unauthenticated);
  });

  it('a socket context is valid 30 to 60 s, and the same for equal claims within one window (shared upstream sockets)', () => {
    const { claims: verified, expiresAt } = verifySocketContext(signSocketContext(claims, SECRET), SECRET);
    expect(verified).toEqual({ ...claims, screen: null });
    expect(expiresAt - now()).toBeGreaterThanOrEqual(29);
    expect(expiresAt - now()).toBeLessThanOrEqual(60);
    const windowStart = Math.floor(Date.now() / 30000) * 30000;
    expect(signSocketContext(claims, SECRET, windowStart)).toBe(signSocketContext(claims, SECRET, windowStart + 29999));
    expect(signSocketContext(claims, SECRET, windowStart)).not.toBe(signSocketContext(claims, SECRET, windowStart + 30000));
    expect(signSocketContext(claims, SECRET, windowStart)).not.toBe(signSocketContext({ ...claims, userId: '8' }, SECRET, windowStart));
  });
});
