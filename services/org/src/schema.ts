import { ConfigError, createAttemptCounter, ServiceModule } from '@cascade/kernel';
import { OrgContext } from './context';
import { Committee, orgEntities, User } from './entities';
import { withOrgLoaders } from './loaders';
import { orgMigrations } from './migrations';
import { createAuditResolver } from './resolvers/audit-resolver';
import { CommitteeMemberResolver, CommitteeResolver, PersonResolver, UnitResolver } from './resolvers/directory-resolver';
import { resolveTenantReference, TenantResolver } from './resolvers/tenant-resolver';
import { createUserResolver } from './resolvers/user-resolver';
import { hashPasswordSync } from './services/password';
import { passwordProblem } from './services/password-policy';
import { signInLimits } from './services/sign-in-limits';
import { directoryService } from './services/directory-service';
import { userService } from './services/user-service';

/** The org subgraph: tenants, users and sign-in, units, people, committees. */
export const orgModule: ServiceModule<OrgContext> = {
  name: 'org',
  entities: orgEntities,
  migrations: orgMigrations,
  subgraph({ dataSource, config, secrets, logger, closeOnStop }) {
    // the root password obeys the rules a user's does; the reason names the variable, never the value
    const rootPasswordProblem = passwordProblem(config.ROOT_ADMIN_PASSWORD, config.ROOT_ADMIN_EMAIL);
    if (rootPasswordProblem) throw new ConfigError(`Invalid configuration: ROOT_ADMIN_PASSWORD: ${rootPasswordProblem}`);
    // in Redis when REDIS_URL is set: every replica of org shares one count
    const attempts = createAttemptCounter({
      redisUrl: config.REDIS_URL,
      prefix: `${config.EVENT_CHANNEL_PREFIX}:signin`,
      windowMs: config.SIGNIN_WINDOW_SECONDS * 1000,
      logger,
    });
    closeOnStop(attempts);
    const limits = signInLimits(attempts, {
      maxFailures: config.SIGNIN_MAX_FAILURES,
      maxFailuresPerAddress: config.SIGNIN_MAX_FAILURES_PER_ADDRESS,
    });
    const users = userService(
      dataSource,
      {
        jwtSecret: secrets.jwtSecret,
        tokenTtlSeconds: config.TOKEN_TTL_SECONDS,
        rootEmail: config.ROOT_ADMIN_EMAIL,
        rootPasswordHash: hashPasswordSync(config.ROOT_ADMIN_PASSWORD),
      },
      limits,
    );
    return {
      name: 'org',
      resolvers: [
        TenantResolver,
        createUserResolver(users),
        UnitResolver,
        PersonResolver,
        CommitteeResolver,
        CommitteeMemberResolver,
        createAuditResolver({
          rootEmail: config.ROOT_ADMIN_EMAIL,
          internalSecret: secrets.internalSecret,
          // auditLog asks every other service for its entries; read when asked, since in
          // embedded mode those services start after org (app/src/platform.ts)
          sources: [
            { service: 'campaigns', url: () => config.CAMPAIGNS_URL },
            { service: 'feeds', url: () => config.FEEDS_URL },
            { service: 'media', url: () => config.MEDIA_URL },
            { service: 'reports', url: () => config.REPORTS_URL },
          ],
        }),
      ],
      references: {
        Tenant: { __resolveReference: resolveTenantReference },
        User: { __resolveReference: (ref: { id: string }, ctx: OrgContext) => ctx.data.repo(User).findById(ref.id) },
        Unit: { __resolveReference: (ref: { id: string }, ctx: OrgContext) => directoryService.unitReference(ctx, ref.id) },
        Person: { __resolveReference: (ref: { id: string }, ctx: OrgContext) => ctx.loaders.person.load(Number(ref.id)) },
        Committee: { __resolveReference: (ref: { id: string }, ctx: OrgContext) => ctx.data.repo(Committee).findById(ref.id) },
      },
      extendContext: withOrgLoaders,
    };
  },
};
