import { Claims, conflict, issueToken, isUniqueViolation, notFound, requiredText, unauthenticated } from '@cascade/kernel';
import { DataSource } from 'typeorm';
import { OrgContext } from '../context';
import { Role, Tenant, User } from '../entities';
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

/** The platform operator as a User object: a member of no tenant (tenantId 0). */
export function rootUser(email: string): User {
  return Object.assign(new User(), { id: 0, tenantId: 0, tenantPath: '/', email, name: '平台管理员', role: Role.ADMIN });
}

const SIGN_IN_FAILED = 'Invalid email or password';

export function userService(dataSource: DataSource, auth: AuthSettings, limits: SignInLimits) {
  /** The token and user for a right email and password, UNAUTHENTICATED otherwise. */
  async function checkCredentials(ctx: OrgContext, email: string, password: string): Promise<{ token: string; user: User }> {
    if (email === auth.rootEmail.toLowerCase()) {
      if (!(await verifyPassword(password, auth.rootPasswordHash))) throw unauthenticated(SIGN_IN_FAILED);
      const claims: Claims = { userId: 'root', tenantId: null, tenantPath: null, role: 'ADMIN', root: true };
      ctx.signedInAs(claims);
      return { token: await issueToken(claims, auth.jwtSecret, auth.tokenTtlSeconds), user: rootUser(auth.rootEmail) };
    }
    // unscoped: sign-in looks an account up by email before any tenant is known
    const user = await dataSource.manager.findOne(User, { where: { email } });
    const ok = await verifyPassword(password, user?.passwordHash ?? UNKNOWN_USER_HASH);
    if (!user || !ok) throw unauthenticated(SIGN_IN_FAILED);
    const claims: Claims = {
      userId: String(user.id),
      tenantId: String(user.tenantId),
      tenantPath: user.tenantPath,
      role: user.role,
      root: false,
    };
    ctx.signedInAs(claims);
    return { token: await issueToken(claims, auth.jwtSecret, auth.tokenTtlSeconds), user };
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
      if (!user) throw unauthenticated('This account no longer exists');
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
        return await users.insertInto(
          { tenantId: tenant.id, tenantPath: tenant.tenantPath },
          { email, name, role: input.role, passwordHash },
        );
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict('A user with this email already exists');
        throw err;
      }
    },
  };
}

export type UserService = ReturnType<typeof userService>;
