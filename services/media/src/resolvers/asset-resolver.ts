import { toId } from '@cascade/kernel';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { MediaContext } from '../context';
import { Asset, AssetKind, AssetStatus } from '../entities';
import { assetService } from '../services/asset-service';
import { downloadUrl } from '../services/urls';
import { ActivityRef, AssetConnection, CampaignRef, RecordDistributionInput, ref, RequestUploadInput, TenantRef, UpdateAssetInput, UploadTicket } from './types';

@Resolver(() => Asset)
export class AssetResolver {
  @Query(() => Asset, { nullable: true })
  asset(@Arg('id', () => ID) id: string, @Ctx() ctx: MediaContext) {
    return assetService.find(ctx, id);
  }

  @Query(() => AssetConnection, { description: 'Assets of the caller’s tenant and its descendants, newest first' })
  assets(
    @Ctx() ctx: MediaContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('campaignId', () => ID, { nullable: true }) campaignId?: string,
    @Arg('activityId', () => ID, { nullable: true }) activityId?: string,
    @Arg('kind', () => AssetKind, { nullable: true }) kind?: AssetKind,
    @Arg('status', () => AssetStatus, { nullable: true }) status?: AssetStatus,
  ) {
    return assetService.list(ctx, { first, after, campaignId, activityId, kind, status });
  }

  @Mutation(() => UploadTicket, { description: 'Creates a PENDING asset; PUT its bytes to uploadUrl before expiresAt' })
  requestUpload(@Arg('input') input: RequestUploadInput, @Ctx() ctx: MediaContext) {
    return assetService.requestUpload(ctx, input);
  }

  @Mutation(() => Asset)
  updateAsset(@Arg('input') input: UpdateAssetInput, @Ctx() ctx: MediaContext) {
    return assetService.update(ctx, input);
  }

  @Mutation(() => ID, { description: 'Deletes an asset of your tenant with its stored file; answers its id' })
  deleteAsset(@Arg('id', () => ID) id: string, @Ctx() ctx: MediaContext) {
    return assetService.remove(ctx, id);
  }

  @Mutation(() => Asset, { description: 'Adds handed-out copies (never above quantityProduced when set); counts toward the linked activity’s MATERIALS_DISTRIBUTED' })
  recordDistribution(@Arg('input') input: RecordDistributionInput, @Ctx() ctx: MediaContext) {
    return assetService.recordDistribution(ctx, input);
  }

  @FieldResolver(() => String, { nullable: true, description: 'A short-lived download URL (READY only); relative to the gateway unless PUBLIC_URL is set' })
  url(@Root() asset: Asset, @Ctx() ctx: MediaContext) {
    return downloadUrl(ctx.media, ctx.scope, asset, 'file');
  }

  @FieldResolver(() => String, { nullable: true, description: 'A short-lived URL of a WebP thumbnail (READY images only)' })
  thumbnailUrl(@Root() asset: Asset, @Ctx() ctx: MediaContext) {
    return downloadUrl(ctx.media, ctx.scope, asset, 'thumbnail');
  }

  @FieldResolver(() => CampaignRef, { nullable: true })
  campaign(@Root() asset: Asset) {
    return ref(asset.campaignId);
  }

  @FieldResolver(() => ActivityRef, { nullable: true })
  activity(@Root() asset: Asset) {
    return ref(asset.activityId);
  }

  @FieldResolver(() => TenantRef)
  tenant(@Root() asset: Asset) {
    return ref(asset.tenantId);
  }

  @FieldResolver(() => Date)
  createdAt(@Root() asset: Asset) {
    return asset.createdAt;
  }
}

@Resolver(() => CampaignRef)
export class CampaignAssetsResolver {
  @FieldResolver(() => [Asset], { description: 'Media assets of the campaign the caller may read' })
  async assets(@Root() campaign: CampaignRef, @Ctx() ctx: MediaContext, @Arg('kind', () => AssetKind, { nullable: true }) kind?: AssetKind) {
    const id = toId(campaign.id);
    const list = id ? await ctx.loaders.assetsOfCampaign.load(id) : [];
    return kind ? list.filter((a) => a.kind === kind) : list;
  }
}

@Resolver(() => ActivityRef)
export class ActivityAssetsResolver {
  @FieldResolver(() => [Asset], { description: 'Media assets of the activity the caller may read' })
  async assets(@Root() activity: ActivityRef, @Ctx() ctx: MediaContext, @Arg('kind', () => AssetKind, { nullable: true }) kind?: AssetKind) {
    const id = toId(activity.id);
    const list = id ? await ctx.loaders.assetsOfActivity.load(id) : [];
    return kind ? list.filter((a) => a.kind === kind) : list;
  }
}
