import { forbidden } from '@cascade/kernel';
import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { OrgContext } from '../context';
import { Tenant, User } from '../entities';
import { UserService } from '../services/user-service';
import { AuthPayload, CreateUserInput } from './inputs';

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

    @FieldResolver(() => Tenant)
    async tenant(@Root() user: User, @Ctx() ctx: OrgContext) {
      if (user.tenantId === 0) throw forbidden('The platform operator is a member of no tenant');
      return ctx.loaders.tenant.load(user.tenantId);
    }
  }
  return UserResolver;
}
