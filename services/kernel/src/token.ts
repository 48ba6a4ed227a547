import { jwtVerify, SignJWT } from 'jose';
import { Claims, Role, ScreenClaim } from './context';
import { unauthenticated } from './errors';

/**
 * The sign-in token (JWT, HS256). Org issues it at signIn; the gateway verifies it and turns
 * it into the signed internal context. Claims: sub (user id), tid, path, role, root, and for a
 * user's token `ver`: the user's token version when it was issued (signOut and revocation raise
 * it; the gateway refuses a token whose version is no longer the user's).
 */
const ISSUER = 'cascade';
const AUDIENCE = 'cascade-api';

export async function issueToken(claims: Claims, secret: string, ttlSeconds: number, expiresAt?: number, version?: number): Promise<string> {
  return new SignJWT({
    tid: claims.tenantId,
    path: claims.tenantPath,
    role: claims.role,
    root: claims.root,
    ...(claims.screen ? { scr: claims.screen } : {}),
    ...(version !== undefined ? { ver: version } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.userId ?? '')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(expiresAt ?? Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}

export interface VerifiedToken {
  claims: Claims;
  expiresAt: number; // unix seconds
  /** The user's token version at issue (`ver`); null for tokens without one (root, screen links). */
  version: number | null;
}

export async function verifyToken(token: string, secret: string): Promise<VerifiedToken> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    });
    if (!payload.sub || typeof payload.exp !== 'number') throw new Error('incomplete token');
    return {
      claims: {
        userId: payload.sub,
        tenantId: (payload.tid as string | null) ?? null,
        tenantPath: (payload.path as string | null) ?? null,
        role: (payload.role as Role | null) ?? null,
        root: payload.root === true,
        screen: (payload.scr as ScreenClaim | undefined) ?? null,
      },
      expiresAt: payload.exp,
      version: typeof payload.ver === 'number' ? payload.ver : null,
    };
  } catch {
    throw unauthenticated('Invalid or expired token');
  }
}
