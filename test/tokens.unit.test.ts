// the modules themselves, not the kernel's index: a unit suite loads no database driver or server
import { capabilityKey, signCapability, verifyCapability } from '../services/kernel/src/capability';
import { parseConfig } from '../services/kernel/src/config';
import { Claims } from '../services/kernel/src/context';
import { resolveSecrets } from '../services/kernel/src/secrets';
import { issueToken, verifyToken } from '../services/kernel/src/token';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The kernel's signed values on their own: sign-in tokens (JWT), capability URLs, the secrets behind them. */
const SECRET = 'unit-test-secret-0123456789';
const claims: Claims = { userId: '7', tenantId: '3', tenantPath: '/1/3/', role: 'EDITOR', root: false, screen: null };

/** A JWT made by hand (HS256 or HS512 with SECRET), for the claims issueToken would never write. */
function jwt(hash: 'sha256' | 'sha512', payload: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signed = `${part({ alg: hash === 'sha256' ? 'HS256' : 'HS512', typ: 'JWT' })}.${part(payload)}`;
  return `${signed}.${createHmac(hash, SECRET).update(signed).digest('base64url')}`;
}

describe('sign-in tokens', () => {
  it('carry the claims, the expiry and the token version through a round trip', async () => {
    const token = await issueToken(claims, SECRET, 3600, undefined, 4);
    const verified = await verifyToken(token, SECRET);
    expect(verified.claims).toEqual(claims);
    expect(verified.version).toBe(4);
    const now = Math.floor(Date.now() / 1000);
    expect(verified.expiresAt).toBeGreaterThanOrEqual(now + 3599);
    expect(verified.expiresAt).toBeLessThanOrEqual(now + 3601);
  });

  it('a screen link’s claim and an explicit expiry; no version when none was given', async () => {
    const screen = { linkId: '9', activityId: '12', tenantId: null, campaignId: null };
    const expiresAt = Math.floor(Date.now() / 1000) + 60;
    const verified = await verifyToken(await issueToken({ ...claims, screen }, SECRET, 3600, expiresAt), SECRET);
    expect(verified.claims.screen).toEqual(screen);
    expect(verified.expiresAt).toBe(expiresAt);
    expect(verified.version).toBeNull();
  });

  it('refuse another secret, an expired token, a changed character, another issuer or algorithm: UNAUTHENTICATED', async () => {
    const good = await issueToken(claims, SECRET, 3600);
    const expired = await issueToken(claims, SECRET, 3600, Math.floor(Date.now() / 1000) - 1);
    const [head, body, sig] = good.split('.');
    const changed = `${head}.${body}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const foreign = jwt('sha256', { sub: '7', iss: 'elsewhere', aud: 'cascade-api', exp });
    const otherAudience = jwt('sha256', { sub: '7', iss: 'cascade', aud: 'other-api', exp });
    const hs512 = jwt('sha512', { sub: '7', iss: 'cascade', aud: 'cascade-api', exp });
    const noSubject = jwt('sha256', { iss: 'cascade', aud: 'cascade-api', exp });
    const noExpiry = jwt('sha256', { sub: '7', iss: 'cascade', aud: 'cascade-api' });
    expect(await verifyToken(jwt('sha256', { sub: '7', iss: 'cascade', aud: 'cascade-api', exp }), SECRET)).toMatchObject({ claims: { userId: '7' } }); // the hand-made ones are well formed
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${body}.`;
    for (const [token, secret] of [[good, 'another-secret-0123456789'], [expired, SECRET], [changed, SECRET], [foreign, SECRET], [otherAudience, SECRET], [hs512, SECRET], [noSubject, SECRET], [noExpiry, SECRET], [unsigned, SECRET], ['', SECRET], ['a.b.c', SECRET]]) {
      await expect(verifyToken(token, secret)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    }
  });
});

describe('capabilities (signed URLs)', () => {
  const key = capabilityKey(SECRET, 'media download');
  const now = Date.UTC(2024, 3, 20, 2, 0, 0);
  const exp = now / 1000 + 600;

  it('verify with their own key until their expiry, with the clock given', () => {
    const value = signCapability({ asset: 5, exp }, key);
    expect(verifyCapability(value, key, now)).toEqual({ ok: true, payload: { asset: 5, exp } });
    expect(verifyCapability(value, key, exp * 1000)).toEqual({ ok: true, payload: { asset: 5, exp } });
    expect(verifyCapability(value, key, exp * 1000 + 1)).toEqual({ ok: false, reason: 'expired' });
  });

  it('a key for one purpose never verifies another’s, nor another secret’s', () => {
    const value = signCapability({ asset: 5, exp }, key);
    expect(verifyCapability(value, capabilityKey(SECRET, 'report download'), now)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyCapability(value, capabilityKey('other-secret-0123456789', 'media download'), now)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('any changed character is invalid, checked before the expiry is read', () => {
    const value = signCapability({ asset: 5, exp: now / 1000 - 60 }, key);
    for (let i = 0; i < value.length; i++) {
      const swapped = value[i] === 'A' ? 'B' : 'A';
      const changed = value.slice(0, i) + swapped + value.slice(i + 1);
      expect(verifyCapability(changed, key, now)).toEqual({ ok: false, reason: 'invalid' });
    }
    expect(verifyCapability(value, key, now)).toEqual({ ok: false, reason: 'expired' });
  });

  it('malformed values are invalid: parts missing or extra, oversized, a body that is not JSON or has no exp', () => {
    // correctly signed, so only the body's shape is wrong
    const signed = (body: string) => `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
    const notJson = Buffer.from('not json').toString('base64url');
    const noExp = Buffer.from('{"asset":5}').toString('base64url');
    const nullBody = Buffer.from('null').toString('base64url');
    for (const value of ['', 'onlybody', 'a.b.c', `${'A'.repeat(2049)}.sig`, signed(notJson), signed(noExp), signed(nullBody)]) {
      expect(verifyCapability(value, key, now)).toEqual({ ok: false, reason: 'invalid' });
    }
  });
});

describe('secrets', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cascade-secrets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('from the environment when both are set, and nothing is written', () => {
    const config = parseConfig({ DATA_DIR: dir, JWT_SECRET: 'j'.repeat(32), INTERNAL_SECRET: 'i'.repeat(32) });
    expect(resolveSecrets(config)).toEqual({ jwtSecret: 'j'.repeat(32), internalSecret: 'i'.repeat(32) });
    expect(() => statSync(path.join(dir, 'secrets.json'))).toThrow();
  });

  it('embedded: made once, kept in DATA_DIR/secrets.json readable by the owner only, the same after a restart', () => {
    const first = resolveSecrets(parseConfig({ DATA_DIR: dir }));
    expect(first.jwtSecret).not.toBe(first.internalSecret);
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
    const file = path.join(dir, 'secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(resolveSecrets(parseConfig({ DATA_DIR: dir }))).toEqual(first);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(first);
  });

  it('one set in the environment, the other kept: the file records what is used', () => {
    const kept = resolveSecrets(parseConfig({ DATA_DIR: dir }));
    const mixed = resolveSecrets(parseConfig({ DATA_DIR: dir, JWT_SECRET: 'j'.repeat(32) }));
    expect(mixed).toEqual({ jwtSecret: 'j'.repeat(32), internalSecret: kept.internalSecret });
    expect(JSON.parse(readFileSync(path.join(dir, 'secrets.json'), 'utf8'))).toEqual(mixed);
  });
});
