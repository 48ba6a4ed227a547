import { Arg, Ctx, Directive, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { FeedsContext } from '../context';
import { ScreenLink } from '../entities';
import { screenService } from '../services/screen-service';
import { ActivityRef, CreateScreenLinkInput, TenantRef } from './types';

export function createScreenResolver(settings: { jwtSecret: string; publicUrl?: string }) {
  @Resolver(() => ScreenLink)
  class ScreenResolver {
    @Mutation(() => ScreenLink, { description: 'Exactly one of activityId / tenantId; editor+ of the target’s tenant' })
    createScreenLink(@Arg('input') input: CreateScreenLinkInput, @Ctx() ctx: FeedsContext) {
      return screenService.create(ctx, input);
    }

    @Mutation(() => ScreenLink)
    revokeScreenLink(@Arg('id', () => ID) id: string, @Ctx() ctx: FeedsContext) {
      return screenService.revoke(ctx, id);
    }

    @FieldResolver(() => String, { description: 'Opens the screen page on the gateway; its token reads and subscribes to this one target' })
    url(@Root() link: ScreenLink) {
      return screenService.url(link, settings.jwtSecret, settings.publicUrl);
    }

    @FieldResolver(() => Boolean)
    revoked(@Root() link: ScreenLink) {
      return !!link.revokedAt;
    }

    @FieldResolver(() => ActivityRef, { nullable: true })
    activity(@Root() link: ScreenLink) {
      return link.activityId ? { id: String(link.activityId) } : null;
    }

    @FieldResolver(() => TenantRef, { nullable: true })
    tenant(@Root() link: ScreenLink) {
      return link.targetTenantId ? { id: String(link.targetTenantId) } : null;
    }

    /** Not public: lets campaigns resolve `ScreenLink.campaign` (@requires). */
    @Directive('@inaccessible')
    @FieldResolver(() => ID, { nullable: true })
    campaignId(@Root() link: ScreenLink) {
      return link.campaignId ? String(link.campaignId) : null;
    }
  }
  return ScreenResolver;
}

