import { badInput, Claims, conflict, forbidden, issueToken, isUniqueViolation, notFound, requiredText, unauthenticated } from '@cascade/kernel';
import { DataSource } from 'typeorm';
import { OrgContext } from '../context';
import { Role, Tenant, User } from '../entities';
import { audit, changesBetween, created, hashedEmail, PLATFORM } from './audit';
import { hashPassword, UNKNOWN_USER_HASH, verifyPassword } from './password';
import { checkPassword } from './password-policy';
import { SignInLimits } from './sign-in-limits';
import { email as validEmail } from './validate';

export interface AuthSettings {
  jwtSecret: string;
  tokenTtlSeconds: number;
  rootEmail: string;
  rootPasswordHash: string;
}

export interface CreateUserData {
  tenantId: string;
  email: string;
  name: string;
  password: string;
  role: Role;
}

export interface UpdateUserData {
  id: string;
  role?: Role | null;
  name?: string | null;
}

/** The platform operator as a User object: a member of no tenant (tenantId 0). */
export function rootUser(email: string): User {
  return Object.assign(new User(), { id: 0, tenantId: 0, tenantPath: '/', email, name: '平台管理员', role: Role.ADMIN });
}

const SIGN_IN_FAILED = 'Invalid email or password';

export function userService(dataSource: DataSource, auth: AuthSettings, limits: SignInLimits) {
  /**
   * The token and user for a right email and password, UNAUTHENTICATED otherwise. Both are
   * audited: the email as typed only when it names an account (else its hash: a password
   * pasted into the email field must not be kept), the account's tenant reading it.
   */
  async function checkCredentials(ctx: OrgContext, email: string, password: string): Promise<{ token: string; user: User }> {
    if (email === auth.rootEmail.toLowerCase()) {
      const ok = await verifyPassword(password, auth.rootPasswordHash);
      await ctx.data.transaction((tx) =>
        audit(tx.manager, ctx, { tenant: PLATFORM, action: ok ? 'SIGN_IN' : 'SIGN_IN_FAILED', entityType: 'User', entityId: 0, actorId: ok ? 0 : null }), // unscoped: sign-in is audited before any tenant is known
      );
      if (!ok) throw unauthenticated(SIGN_IN_FAILED);
      const claims: Claims = { userId: 'root', tenantId: null, tenantPath: null, role: 'ADMIN', root: true };
      ctx.signedInAs(claims);
      return { token: await issueToken(claims, auth.jwtSecret, auth.tokenTtlSeconds), user: rootUser(auth.rootEmail) };
    }
    // unscoped: sign-in looks an account up by email before any tenant is known
    const found = await dataSource.manager.findOne(User, { where: { email } });
    const user = found && !found.removedAt ? found : null;
    const ok = await verifyPassword(password, user?.passwordHash ?? UNKNOWN_USER_HASH);
    await ctx.data.transaction((tx) =>
      audit(tx.manager, ctx, { // unscoped: sign-in is audited before any tenant is known
        tenant: user ?? PLATFORM,
        action: user && ok ? 'SIGN_IN' : 'SIGN_IN_FAILED',
        entityType: 'User',
        entityId: user ? user.id : hashedEmail(email),
        changes: user && !ok ? { email: [null, email] } : {},
        actorId: user && ok ? user.id : null,
      }),
    );
    if (!user || !ok) throw unauthenticated(SIGN_IN_FAILED);
    const claims: Claims = {
      userId: String(user.id),
      tenantId: String(user.tenantId),
      tenantPath: user.tenantPath,
      role: user.role,
      root: false,
    };
    ctx.signedInAs(claims);
    return { token: await issueToken(claims, auth.jwtSecret, auth.tokenTtlSeconds, undefined, user.tokenVersion), user };
  }

  /** A user the caller administers: visible to it (its tenant or below; root: any) and the caller an ADMIN. */
  async function administered(ctx: OrgContext, id: string): Promise<User> {
    ctx.scope.requireSignedIn();
    if (!ctx.scope.isRoot) ctx.scope.requireRole('ADMIN');
    const user = await ctx.data.repo(User).findById(id);
    if (!user || user.removedAt) throw notFound('User');
    return user;
  }

  /** Raises the user's token version, so every token issued before answers UNAUTHENTICATED. */
  function endTokens(manager: import('typeorm').EntityManager, user: User) {
    return manager.increment(User, { id: user.id }, 'tokenVersion', 1);
  }

  return {
    /**
     * Sign-in is the one anonymous operation, so finding the account by email is the one
     * read that cannot be tenant-scoped. A wrong password and an unknown email answer alike,
     * and so do their limits: the attempt is counted before anything is looked up.
     */
    async signIn(ctx: OrgContext, emailInput: string, password: string): Promise<{ token: string; user: User }> {
      const email = emailInput.trim().toLowerCase();
      const address = ctx.claims.clientAddress;
      await limits.admit(email, address);
      const signedIn = await checkCredentials(ctx, email, password);
      await limits.succeeded(email, address);
      return signedIn;
    },

    async me(ctx: OrgContext): Promise<User> {
      ctx.scope.requireSignedIn();
      if (ctx.scope.isRoot) return rootUser(auth.rootEmail);
      const user = await ctx.data.repo(User).findById(ctx.claims.userId as string);
      if (!user || user.removedAt) throw unauthenticated('This account no longer exists');
      return user;
    },

    /** Admin of that tenant or an ancestor (or root) creates a user in it. */
    async create(ctx: OrgContext, input: CreateUserData): Promise<User> {
      ctx.scope.requireSignedIn();
      const email = validEmail(input.email);
      const name = requiredText(input.name, 'name', 200);
      checkPassword(input.password, email);
      const tenant = await ctx.data.repo(Tenant).findById(input.tenantId);
      if (!tenant) throw notFound('Tenant');
      const users = ctx.data.repo(User);
      // unscoped: email uniqueness is platform-wide; only existence is learned, no row is returned
      if (email === auth.rootEmail.toLowerCase() || (await dataSource.manager.exists(User, { where: { email } }))) {
        throw conflict('A user with this email already exists');
      }
      const passwordHash = await hashPassword(input.password);
      try {
        return await created(ctx, 'User', { email, name, role: input.role }, (tx) =>
          tx.repo(User).insertInto({ tenantId: tenant.id, tenantPath: tenant.tenantPath }, { email, name, role: input.role, passwordHash }),
        );
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict('A user with this email already exists');
        throw err;
      }
    },

    /** Ends every token of the caller (signOut). Screen links are ended by revoking the link. */
    async signOut(ctx: OrgContext): Promise<boolean> {
      ctx.scope.requireSignedIn();
      if (ctx.claims.screen) throw forbidden('A screen link ends when it is revoked');
      if (ctx.scope.isRoot) throw forbidden("The platform operator's tokens end when they expire (or JWT_SECRET changes)");
      const user = await ctx.data.repo(User).findById(ctx.claims.userId as string);
      if (!user) throw unauthenticated('This account no longer exists');
      await ctx.data.transaction(async (tx) => {
        await endTokens(tx.manager, user); // unscoped: the caller's own user row and its audit entry
        await audit(tx.manager, ctx, { tenant: user, action: 'SIGN_OUT', entityType: 'User', entityId: user.id }); // unscoped: the caller's own user row and its audit entry
      });
      return true;
    },

    /** An admin of the user's tenant or an ancestor (or root) ends every session of the user. */
    async revokeTokens(ctx: OrgContext, id: string): Promise<User> {
      const user = await administered(ctx, id);
      await ctx.data.transaction(async (tx) => {
        await endTokens(tx.manager, user); // unscoped: a user the caller administers (administered() checked it above)
        await audit(tx.manager, ctx, { tenant: user, action: 'REVOKE_TOKENS', entityType: 'User', entityId: user.id }); // unscoped: a user the caller administers (administered() checked it above)
      });
      return user;
    },

    /** Name and role, by an admin of the user's tenant or an ancestor; a new role ends the user's tokens. */
    async update(ctx: OrgContext, input: UpdateUserData): Promise<User> {
      const user = await administered(ctx, input.id);
      const name = input.name === undefined || input.name === null ? user.name : requiredText(input.name, 'name', 200);
      const role = input.role ?? user.role;
      const changes = changesBetween({ name: user.name, role: user.role }, { name, role });
      if (Object.keys(changes).length === 0) return user;
      await ctx.data.transaction(async (tx) => {
        await tx.manager.update(User, { id: user.id }, { name, role }); // unscoped: a user the caller administers (administered() checked it above)
        if (changes.role) await endTokens(tx.manager, user); // unscoped: a user the caller administers (administered() checked it above)
        await audit(tx.manager, ctx, { tenant: user, action: 'UPDATE', entityType: 'User', entityId: user.id, changes }); // unscoped: a user the caller administers (administered() checked it above)
      });
      return Object.assign(user, { name, role });
    },

    /**
     * Removes a user: it can no longer sign in, and its tokens end. The row stays (marked
     * removed) so what it wrote still names its author; its email stays taken.
     */
    async remove(ctx: OrgContext, id: string): Promise<boolean> {
      const user = await administered(ctx, id);
      if (!ctx.scope.isRoot && String(user.id) === ctx.claims.userId) throw badInput('An admin cannot remove itself', 'id');
      await ctx.data.transaction(async (tx) => {
        await tx.manager.update(User, { id: user.id }, { removedAt: new Date() }); // unscoped: a user the caller administers (administered() checked it above)
        await endTokens(tx.manager, user); // unscoped: a user the caller administers (administered() checked it above)
        await audit(tx.manager, ctx, { // unscoped: a user the caller administers (administered() checked it above)
          tenant: user,
          action: 'DELETE',
          entityType: 'User',
          entityId: user.id,
          changes: { email: [user.email, null], name: [user.name, null], role: [user.role, null] },
        });
      });
      return true;
    },
  };
}

export type UserService = ReturnType<typeof userService>;
