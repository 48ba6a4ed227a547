import { changesBetween, Claims, isUniqueViolation, recordAudit, ScopedData, Scope } from '@cascade/kernel';
import http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import { MediaRuntime } from './context';
import { Asset, AssetStatus, AssetUpload } from './entities';
import { auditedFields } from './services/asset-service';
import { allowedType } from './services/policy';
import { MediaToken, verifyMediaToken } from './services/signing';
import { newStorageKey, receive, storeThumbnail, Thumbnail, uploadSniffer } from './services/upload';
import { downloadHeaders, DOWNLOAD_PATH, UPLOAD_PATH } from './services/urls';

type Code = 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT' | 'BAD_USER_INPUT' | 'INTERNAL_SERVER_ERROR';

/**
 * The media service's plain HTTP, beside /graphql (the gateway forwards `/media/*` to it):
 *   PUT  /media/upload/<token>    the bytes of a requested upload (single use)
 *   GET  /media/download/<token>  a READY asset's file or thumbnail (HEAD too)
 * The signed token is the authorisation, bound to one asset and the scope of the caller it
 * was made for; the asset is read through the kernel's scoped data with that scope. A token
 * that does not verify, or names an asset that scope cannot see, answers 404.
 */
export function mediaHttp(media: MediaRuntime, dataSource: DataSource, storageReady: () => Promise<void>) {
  return (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => {
    const path = (req.url ?? '/').split('?')[0];
    if (!path.startsWith('/media/')) return next();
    const serve = async () => {
      await storageReady();
      if (path.startsWith(UPLOAD_PATH)) {
        if (req.method !== 'PUT') return sendError(res, 405, 'BAD_USER_INPUT', 'Upload with PUT', { allow: 'PUT' });
        return upload(req, res, path.slice(UPLOAD_PATH.length));
      }
      if (path.startsWith(DOWNLOAD_PATH)) {
        if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'BAD_USER_INPUT', 'Download with GET', { allow: 'GET, HEAD' });
        return download(req, res, path.slice(DOWNLOAD_PATH.length));
      }
      sendError(res, 404, 'NOT_FOUND', 'Not found');
    };
    serve().catch((err) => {
      media.logger.error({ err }, 'media request failed');
      if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      else res.destroy();
    });
  };

  /** Scoped data as the caller the URL was made for. */
  function scopedAs(token: MediaToken): ScopedData {
    const claims: Claims = { userId: token.userId, tenantId: String(token.tenantId), tenantPath: token.tenantPath, role: 'EDITOR', root: false };
    return ScopedData.forRequest(dataSource, new Scope(claims));
  }

  async function upload(req: http.IncomingMessage, res: http.ServerResponse, tokenText: string) {
    const verified = verifyMediaToken(tokenText, media.urlKey, ['upload']);
    if (!verified.ok) {
      drainAndClose(req, res);
      return verified.reason === 'expired'
        ? sendError(res, 403, 'FORBIDDEN', 'This upload URL has expired: request a new upload')
        : sendError(res, 404, 'NOT_FOUND', 'Not found');
    }
    const data = scopedAs(verified.token);
    const assets = data.repo(Asset);
    /**
     * The upload's outcome (READY or REJECTED) with its audit entry, in one transaction: the
     * actor is the user the URL was made for (the bytes come with no sign-in).
     */
    const complete = (id: number, patch: Partial<Asset>, action: 'UPLOAD' | 'REJECT') =>
      data.transaction(async (tx) => {
        const before = await tx.repo(Asset).reload(id);
        if (before) await recordAudit(tx, data.scope.claims, { tenant: before, action, entityType: 'Asset', entityId: id, changes: changesBetween(auditedFields(before), auditedFields(patch)) });
        return tx.repo(Asset).update(id, patch);
      });
    const asset = await assets.findById(verified.token.assetId);
    if (!asset || asset.tenantId !== verified.token.tenantId) {
      drainAndClose(req, res);
      return sendError(res, 404, 'NOT_FOUND', 'Not found');
    }
    const used = () => {
      drainAndClose(req, res);
      sendError(res, 409, 'CONFLICT', 'This upload URL has already been used');
    };
    if (asset.status !== AssetStatus.PENDING) return used();
    try {
      await data.repo(AssetUpload).insert({ assetId: asset.id }); // one upload per asset, even under a race
    } catch (err) {
      if (isUniqueViolation(err)) return used();
      throw err;
    }

    const reject = async (status: number, code: Code, reason: string) => {
      const rejected = await complete(asset.id, { status: AssetStatus.REJECTED, rejectionReason: reason.slice(0, 300) }, 'REJECT').catch(() => null);
      media.logger.info({ assetId: asset.id, reason }, 'upload rejected');
      sendError(res, status, code, reason, {}, rejected ? { asset: assetJson(rejected) } : {});
    };

    const length = req.headers['content-length'];
    if (length !== undefined && Number(length) !== asset.byteSize) {
      drainAndClose(req, res);
      return Number(length) > asset.byteSize
        ? reject(413, 'BAD_USER_INPUT', `The body (${length} bytes) is larger than the declared ${asset.byteSize} bytes`)
        : reject(400, 'BAD_USER_INPUT', `The body (${length} bytes) is not the declared ${asset.byteSize} bytes`);
    }

    const key = newStorageKey(asset.tenantId, asset.id);
    const result = await receive(req, { storage: media.storage, key, declaredSize: asset.byteSize, declaredType: asset.contentType, sniffer: uploadSniffer });
    if (!result.ok) return reject(result.status, result.code, result.reason);

    let thumbnailKey: string | null = null;
    if (allowedType(asset.contentType)?.thumbnail) {
      let made: Thumbnail | null = null;
      try {
        made = await storeThumbnail(media.storage, key, asset.contentType);
      } catch (err) {
        media.logger.error({ err, assetId: asset.id }, 'thumbnail not stored');
      }
      if (!made?.ok) {
        await media.storage.delete(key).catch(() => undefined);
        return made ? reject(415, 'BAD_USER_INPUT', made.reason) : reject(500, 'INTERNAL_SERVER_ERROR', 'The file could not be stored');
      }
      thumbnailKey = made.key;
    }
    let ready: Asset;
    try {
      ready = await complete(asset.id, { status: AssetStatus.READY, sha256: result.sha256, storageKey: key, thumbnailKey, uploadedAt: new Date() }, 'UPLOAD');
    } catch (err) {
      // the asset went away meanwhile (deleted): keep nothing of it
      for (const k of [key, thumbnailKey]) if (k) await media.storage.delete(k).catch(() => undefined);
      if ((err as { extensions?: { code?: string } }).extensions?.code === 'NOT_FOUND') return sendError(res, 404, 'NOT_FOUND', 'Not found');
      throw err;
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(JSON.stringify(assetJson(ready)));
  }

  async function download(req: http.IncomingMessage, res: http.ServerResponse, tokenText: string) {
    const verified = verifyMediaToken(tokenText, media.urlKey, ['file', 'thumbnail']);
    if (!verified.ok) {
      return verified.reason === 'expired'
        ? sendError(res, 403, 'FORBIDDEN', 'This download URL has expired: read the asset’s url again')
        : sendError(res, 404, 'NOT_FOUND', 'Not found');
    }
    const kind = verified.token.kind as 'file' | 'thumbnail';
    // read with the scope of the caller the URL was made for: still visible to it, or 404
    const asset = await scopedAs(verified.token).repo(Asset).findById(verified.token.assetId);
    const key = asset?.status === AssetStatus.READY ? (kind === 'file' ? asset.storageKey : asset.thumbnailKey) : null;
    const object = asset && key ? await media.storage.get(key) : null;
    if (!asset || !object) return sendError(res, 404, 'NOT_FOUND', 'Not found');
    const { contentType, disposition } = downloadHeaders(asset, kind);
    const remaining = Math.max(0, verified.token.exp - Math.floor(Date.now() / 1000));
    res.writeHead(200, {
      'content-type': contentType,
      'content-length': object.size,
      'content-disposition': disposition,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': `private, max-age=${remaining}`,
      ...(kind === 'file' && asset.sha256 ? { etag: `"${asset.sha256}"` } : {}),
    });
    if (req.method === 'HEAD') {
      object.body.destroy();
      res.end();
      return;
    }
    await pipeline(object.body, res).catch(() => undefined);
  }
}

/** The asset as the upload answers it (the GraphQL field names). */
function assetJson(asset: Asset) {
  return {
    id: String(asset.id),
    title: asset.title,
    kind: asset.kind,
    status: asset.status,
    contentType: asset.contentType,
    byteSize: asset.byteSize,
    sha256: asset.sha256,
    tags: asset.tags,
    quantityProduced: asset.quantityProduced,
    quantityDistributed: asset.quantityDistributed,
    rejectionReason: asset.rejectionReason,
  };
}

/** A refused request's body is read and dropped (bounded) so the answer reaches the client. */
function drainAndClose(req: http.IncomingMessage, res: http.ServerResponse) {
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > 16 * 1024 * 1024) req.destroy();
  });
  req.resume();
  res.shouldKeepAlive = false;
}

function sendError(res: http.ServerResponse, status: number, code: Code, message: string, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}) {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }], ...extra }));
}
