import { ConnectionType, optionalText } from '@cascade/kernel';
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { OrgContext } from '../context';
import { AuditEntry, User } from '../entities';
import { rootUser } from '../services/user-service';

export const AuditEntryConnection = ConnectionType(AuditEntry, 'AuditEntry');

/** org's audit trail: sign-ins, sign-outs, revocations and administrative writes. */
export function createAuditResolver(rootEmail: string) {
  @Resolver(() => AuditEntry)
  class AuditResolver {
    @Query(() => AuditEntryConnection, { description: "Admins: their tenant's and its descendants' entries, newest first (root: all)" })
    auditLog(
      @Ctx() ctx: OrgContext,
      @Arg('first', () => Int, { nullable: true }) first?: number,
      @Arg('after', () => String, { nullable: true }) after?: string,
      @Arg('entityType', () => String, { nullable: true }) entityType?: string,
      @Arg('entityId', () => ID, { nullable: true }) entityId?: string,
    ) {
      if (!ctx.scope.isRoot) ctx.scope.requireRole('ADMIN');
      const where: Record<string, unknown> = {};
      const type = optionalText(entityType, 'entityType', 64);
      const id = optionalText(entityId, 'entityId', 254);
      if (type) where.entityType = type;
      if (id) where.entityId = id;
      return ctx.data.repo(AuditEntry).page({ first, after }, where, 'DESC');
    }

    /** null when the actor was anonymous, or is not visible to the reader (an ancestor's admin). */
    @FieldResolver(() => User, { nullable: true })
    actor(@Root() entry: AuditEntry, @Ctx() ctx: OrgContext) {
      if (entry.actorId === null) return null;
      if (entry.actorId === 0) return ctx.scope.isRoot ? rootUser(rootEmail) : null;
      return ctx.data.repo(User).findById(entry.actorId);
    }
  }
  return AuditResolver;
}
