import { signInternalContext, verifyInternalContext } from '@cascade/kernel';

const SECRET = 'internal-secret-0123456789';
const claims = { userId: '7', tenantId: '3', tenantPath: '/1/3/', role: 'EDITOR' as const, root: false };

describe('signed internal context', () => {
  it('round-trips the claims', () => {
    expect(verifyInternalContext(signInternalContext(claims, SECRET), SECRET)).toEqual({ ...claims, screen: null });
    const screen = { linkId: '4', activityId: '9', tenantId: null, campaignId: null };
    expect(verifyInternalContext(signInternalContext({ ...claims, screen }, SECRET), SECRET).screen).toEqual(screen);
  });

  it.each([
    ['missing', () => undefined],
    ['garbage', () => 'garbage'],
    ['another secret', () => signInternalContext(claims, 'another-secret-0123456789')],
    ['expired', () => signInternalContext(claims, SECRET, -1)],
    ['claims changed after signing', () => {
      const [payload, mac] = signInternalContext(claims, SECRET).split('.');
      const changed = Buffer.from(Buffer.from(payload, 'base64url').toString().replace('/1/3/', '/1/')).toString('base64url');
      return `${changed}.${mac}`;
    }],
    ['extra segment', () => `${signInternalContext(claims, SECRET)}.x`],
  ])('refuses a %s value with UNAUTHENTICATED', (_label, make) => {
    expect(() => verifyInternalContext(make(), SECRET)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }));
  });
});
