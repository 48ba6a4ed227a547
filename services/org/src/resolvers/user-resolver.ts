import { forbidden } from '@cascade/kernel';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { OrgContext } from '../context';
import { Tenant, User } from '../entities';
import { UserService } from '../services/user-service';
import { AuthPayload, CreateUserInput, UpdateUserInput } from './inputs';

/** Sign-in, the current user, and user administration. */
export function createUserResolver(users: UserService) {
  @Resolver(() => User)
  class UserResolver {
    @Query(() => User)
    me(@Ctx() ctx: OrgContext) {
      return users.me(ctx);
    }

    @Mutation(() => AuthPayload, { description: 'The only anonymous operation' })
    signIn(@Arg('email') email: string, @Arg('password') password: string, @Ctx() ctx: OrgContext) {
      return users.signIn(ctx, email, password);
    }

    @Mutation(() => User)
    createUser(@Arg('input') input: CreateUserInput, @Ctx() ctx: OrgContext) {
      return users.create(ctx, input);
    }

    @Mutation(() => Boolean, { description: "Ends every token of the caller" })
    signOut(@Ctx() ctx: OrgContext) {
      return users.signOut(ctx);
    }

    @Mutation(() => User, { description: "Ends every session of a user; admin of the user's tenant or an ancestor" })
    revokeUserTokens(@Arg('userId', () => ID) userId: string, @Ctx() ctx: OrgContext) {
      return users.revokeTokens(ctx, userId);
    }

    @Mutation(() => User, { description: "Admin of the user's tenant or an ancestor; a new role ends the user's tokens" })
    updateUser(@Arg('input') input: UpdateUserInput, @Ctx() ctx: OrgContext) {
      return users.update(ctx, input);
    }

    @Mutation(() => Boolean, { description: "Admin of the user's tenant or an ancestor; the user can no longer sign in" })
    removeUser(@Arg('id', () => ID) id: string, @Ctx() ctx: OrgContext) {
      return users.remove(ctx, id);
    }

    @FieldResolver(() => Tenant)
    async tenant(@Root() user: User, @Ctx() ctx: OrgContext) {
      if (user.tenantId === 0) throw forbidden('The platform operator is a member of no tenant');
      return ctx.loaders.tenant.load(user.tenantId);
    }
  }
  return UserResolver;
}
