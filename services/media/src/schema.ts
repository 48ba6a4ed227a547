import { auditRowsResolver, fetchEntities, RequestContext, ServiceModule, toId } from '@cascade/kernel';
import { ActivityAccess, CampaignAccess, MediaContext, MediaRuntime } from './context';
import { mediaEntities } from './entities';
import { mediaHttp } from './http';
import { createMediaLoaders } from './loaders';
import { mediaMigrations } from './migrations';
import { ActivityAssetsResolver, AssetResolver, CampaignAssetsResolver } from './resolvers/asset-resolver';
import { mediaKey } from './services/signing';
import { createStorage } from './storage';

/**
 * The media subgraph: assets (display boards, posters, photos, clips, documents), their
 * uploads and downloads (plain HTTP on the same server, via the gateway's /media/ path),
 * local-disk or S3 storage, thumbnails and printed quantities.
 */
export const mediaModule: ServiceModule<MediaContext> = {
  name: 'media',
  entities: mediaEntities,
  migrations: mediaMigrations,
  subgraph({ config, secrets, dataSource, logger }) {
    const media: MediaRuntime = { config, storage: createStorage(config), urlKey: mediaKey(secrets.internalSecret), logger };
    const campaigns = (base: RequestContext) => {
      if (!config.CAMPAIGNS_URL) throw new Error('CAMPAIGNS_URL is not configured: campaigns and activities cannot be checked');
      return { url: config.CAMPAIGNS_URL, secret: secrets.internalSecret, claims: base.claims };
    };
    const extendContext = (base: RequestContext): MediaContext => ({
      ...base,
      loaders: createMediaLoaders(base.data),
      media,
      async campaign(id) {
        const [found] = await fetchEntities<CampaignAccess>(campaigns(base), 'Campaign', [id], 'id tenant { id }');
        return found ?? null;
      },
      async activity(id) {
        const [found] = await fetchEntities<ActivityAccess>(campaigns(base), 'Activity', [id], 'id tenant { id } campaign { id }');
        return found ?? null;
      },
    });
    // storage is made ready at start (directories, the bucket) and again after a failure
    let ready: Promise<void> | null = null;
    const storageReady = () => {
      if (!ready) {
        ready = media.storage.init();
        ready.catch((err) => {
          ready = null;
          logger.error({ err }, 'media storage is not usable');
        });
      }
      return ready;
    };
    // composing the supergraph builds the schema without a database: no storage, no HTTP then
    if (dataSource) void storageReady().catch(() => undefined);
    const http = dataSource ? mediaHttp(media, dataSource, storageReady) : undefined;
    return {
      name: 'media',
      resolvers: [auditRowsResolver('media'), AssetResolver, CampaignAssetsResolver, ActivityAssetsResolver],
      references: {
        Asset: { __resolveReference: (ref: { id: string }, ctx: MediaContext) => (toId(ref.id) ? ctx.loaders.asset.load(toId(ref.id)!) : null) },
        Campaign: { __resolveReference: (ref: { id: string }) => ref },
        Activity: { __resolveReference: (ref: { id: string }) => ref },
      },
      http,
      extendContext,
    };
  },
};
