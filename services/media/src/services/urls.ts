import { Scope } from '@cascade/kernel';
import { MediaRuntime } from '../context';
import { Asset, AssetStatus } from '../entities';
import { contentDisposition } from './policy';
import { MediaTokenKind, signMediaToken } from './signing';

/** Paths on the media service, carried by the gateway on its public address. */
export const UPLOAD_PATH = '/media/upload/';
export const DOWNLOAD_PATH = '/media/download/';

function base(media: MediaRuntime): string {
  return (media.config.PUBLIC_URL ?? '').replace(/\/+$/, '');
}

export function uploadUrl(media: MediaRuntime, scope: Scope, assetId: number, expiresAt: Date): string {
  return `${base(media)}${UPLOAD_PATH}${sign(media, scope, 'upload', assetId, expiresAt)}`;
}

/**
 * A short-lived download URL for a READY asset (or its thumbnail), bound to the asset and to
 * the reader's scope: a signed link to the media service via the gateway, or, with
 * MEDIA_S3_PRESIGNED_DOWNLOADS on S3, a presigned GET.
 */
export async function downloadUrl(media: MediaRuntime, scope: Scope, asset: Asset, kind: 'file' | 'thumbnail'): Promise<string | null> {
  if (asset.status !== AssetStatus.READY) return null;
  const key = kind === 'file' ? asset.storageKey : asset.thumbnailKey;
  if (!key) return null;
  const ttl = media.config.MEDIA_DOWNLOAD_URL_TTL_SECONDS;
  if (media.config.MEDIA_S3_PRESIGNED_DOWNLOADS && media.storage.presignedGet) {
    const { contentType, disposition } = downloadHeaders(asset, kind);
    return media.storage.presignedGet(key, { expiresInSeconds: ttl, contentType, disposition });
  }
  return `${base(media)}${DOWNLOAD_PATH}${sign(media, scope, kind, asset.id, new Date(Date.now() + ttl * 1000))}`;
}

/** The type and disposition a download is served with. */
export function downloadHeaders(asset: Asset, kind: 'file' | 'thumbnail'): { contentType: string; disposition: string } {
  if (kind === 'thumbnail') {
    const name = `${asset.fileName.replace(/\.[^.]*$/, '')}-thumbnail.webp`;
    return { contentType: 'image/webp', disposition: contentDisposition('image/webp', name) };
  }
  return { contentType: asset.contentType, disposition: contentDisposition(asset.contentType, asset.fileName) };
}

function sign(media: MediaRuntime, scope: Scope, kind: MediaTokenKind, assetId: number, expiresAt: Date): string {
  return signMediaToken(
    {
      kind,
      assetId,
      tenantId: scope.tenantId,
      tenantPath: scope.tenantPath,
      userId: String(scope.claims.userId),
      exp: Math.floor(expiresAt.getTime() / 1000),
    },
    media.urlKey,
  );
}
