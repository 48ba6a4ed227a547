import { badInput, changesBetween, Connection, createdWithAudit, enqueueEvent, pageInfoOf, forbidden, notFound, optionalText, recordAudit, removed, requiredText, toId } from '@cascade/kernel';
import { randomUUID } from 'node:crypto';
import { MediaContext } from '../context';
import { Asset, AssetDistribution, AssetKind, AssetStatus } from '../entities';
import { checkDeclared, cleanFileName } from './policy';
import { uploadUrl } from './urls';

export interface RequestUploadData {
  title: string;
  kind: AssetKind;
  fileName: string;
  contentType: string;
  byteSize: number;
  campaignId?: string | null;
  activityId?: string | null;
  tags?: string[] | null;
  quantityProduced?: number | null;
}

export interface UpdateAssetData {
  id: string;
  title?: string | null;
  tags?: string[] | null;
  quantityProduced?: number | null;
  campaignId?: string | null;
  activityId?: string | null;
  /** Removes the campaign and activity links. */
  unlink?: boolean | null;
}

export interface AssetFilter {
  first?: number | null;
  after?: string | null;
  campaignId?: string | null;
  activityId?: string | null;
  kind?: AssetKind | null;
  status?: AssetStatus | null;
}

/** A single recordDistribution may not add more than this (a typo guard, and no overflow). */
const MAX_DISTRIBUTION = 10_000_000;

/** Assets: created by requestUpload, filled by the upload, read within scope, written by their own tenant. */
export const assetService = {
  async find(ctx: MediaContext, id: string | number): Promise<Asset | null> {
    const numeric = toId(id);
    return numeric === null ? null : ctx.loaders.asset.load(numeric);
  },

  async list(ctx: MediaContext, filter: AssetFilter): Promise<Connection<Asset>> {
    const where: Record<string, unknown> = {};
    for (const [field, value] of [['campaignId', filter.campaignId], ['activityId', filter.activityId]] as const) {
      if (value === null || value === undefined) continue;
      const id = toId(value);
      if (id === null) return { edges: [], pageInfo: pageInfoOf([], false, filter.after), totalCount: 0 };
      where[field] = id;
    }
    if (filter.kind) where.kind = filter.kind;
    if (filter.status) where.status = filter.status;
    return ctx.data.repo(Asset).page({ first: filter.first, after: filter.after }, where, 'DESC');
  },

  /** Creates a PENDING asset and a single-use upload URL for its bytes. */
  async requestUpload(ctx: MediaContext, input: RequestUploadData): Promise<{ asset: Asset; uploadUrl: string; expiresAt: Date }> {
    ctx.scope.requireRole('EDITOR');
    const title = requiredText(input.title, 'title', 200);
    const fileName = cleanFileName(input.fileName ?? '');
    const contentType = checkDeclared(ctx.media.config, { kind: input.kind, contentType: input.contentType ?? '', fileName, byteSize: input.byteSize });
    const tags = cleanTags(input.tags);
    const quantityProduced = quantity(input.quantityProduced ?? 0, 'quantityProduced', true);
    const links = await checkLinks(ctx, input.campaignId, input.activityId);
    const values = {
      title,
      kind: input.kind,
      status: AssetStatus.PENDING,
      contentType,
      byteSize: input.byteSize,
      sha256: null,
      fileName,
      tags,
      ...links,
      quantityProduced,
      quantityDistributed: 0,
      rejectionReason: null,
      storageKey: null,
      thumbnailKey: null,
      createdBy: String(ctx.claims.userId),
      uploadedAt: null,
    };
    const asset = await createdWithAudit(ctx.data, ctx.claims, 'Asset', auditedFields(values), (tx) => tx.repo(Asset).insert(values));
    const expiresAt = new Date(Date.now() + ctx.media.config.MEDIA_UPLOAD_URL_TTL_SECONDS * 1000);
    return { asset, uploadUrl: uploadUrl(ctx.media, ctx.scope, asset.id, expiresAt), expiresAt };
  },

  async update(ctx: MediaContext, input: UpdateAssetData): Promise<Asset> {
    const asset = await own(ctx, input.id);
    const patch: Partial<Asset> = {};
    if (input.title !== undefined && input.title !== null) patch.title = requiredText(input.title, 'title', 200);
    if (input.tags !== undefined && input.tags !== null) patch.tags = cleanTags(input.tags);
    if (input.quantityProduced !== undefined && input.quantityProduced !== null) {
      const produced = quantity(input.quantityProduced, 'quantityProduced', true);
      if (produced > 0 && produced < asset.quantityDistributed) {
        throw badInput(`${asset.quantityDistributed} are already distributed: quantityProduced may not be lower`, 'quantityProduced');
      }
      patch.quantityProduced = produced;
    }
    if (input.unlink) Object.assign(patch, { campaignId: null, activityId: null });
    if (input.campaignId || input.activityId) Object.assign(patch, await checkLinks(ctx, input.campaignId, input.activityId));
    return ctx.data.transaction(async (tx) => {
      const before = await tx.repo(Asset).reload(asset.id);
      if (!before) throw notFound('Asset');
      await recordAudit(tx, ctx.claims, { tenant: before, action: 'UPDATE', entityType: 'Asset', entityId: asset.id, changes: changesBetween(before, patch) });
      return tx.repo(Asset).update(asset.id, patch);
    });
  },

  /** Deletes an asset of the caller's tenant with its stored file and thumbnail. */
  async remove(ctx: MediaContext, id: string): Promise<string> {
    const asset = await own(ctx, id);
    await ctx.data.transaction(async (tx) => {
      await recordAudit(tx, ctx.claims, { tenant: asset, action: 'DELETE', entityType: 'Asset', entityId: asset.id, changes: removed(auditedFields(asset)) });
      await tx.repo(Asset).delete(asset.id);
    });
    for (const key of [asset.storageKey, asset.thumbnailKey]) if (key) await ctx.media.storage.delete(key);
    return String(asset.id);
  },

  /**
   * Adds handed-out copies, never above quantityProduced when that is set. The distribution
   * row, and for an asset linked to an activity its `distribution.recorded` event in the
   * outbox, are written in the same transaction: once this answers, campaigns will apply the
   * event (once per event id) to the activity's MATERIALS_DISTRIBUTED statistic, even if it
   * or Redis is down now. The answer does not wait for that.
   */
  async recordDistribution(ctx: MediaContext, input: { assetId: string; quantity: number }): Promise<Asset> {
    const by = quantity(input.quantity, 'quantity', false);
    const asset = await own(ctx, input.assetId);
    if (asset.status === AssetStatus.REJECTED) throw badInput('A rejected asset cannot be distributed', 'assetId');
    const row = await ctx.data.transaction(async (tx) => {
      const assets = tx.repo(Asset);
      // the UPDATE takes the row lock; the re-read in the same transaction sees the sum
      await assets.incrementOwn(asset.id, 'quantityDistributed', by);
      const row = (await assets.reload(asset.id))!;
      if (row.quantityProduced > 0 && row.quantityDistributed > row.quantityProduced) {
        const left = row.quantityProduced - (row.quantityDistributed - by);
        throw badInput(`Only ${left} of the ${row.quantityProduced} produced are left to distribute`, 'quantity');
      }
      if (row.quantityDistributed > 2_000_000_000) throw badInput('quantityDistributed would overflow', 'quantity');
      await recordAudit(tx, ctx.claims, {
        tenant: row,
        action: 'DISTRIBUTE',
        entityType: 'Asset',
        entityId: row.id,
        changes: { quantityDistributed: [row.quantityDistributed - by, row.quantityDistributed] },
      });
      const d = await tx.repo(AssetDistribution).insert({ eventId: randomUUID(), assetId: row.id, activityId: row.activityId, quantity: by, userId: String(ctx.claims.userId) });
      if (d.activityId) {
        const event = { eventId: d.eventId, assetId: d.assetId, activityId: d.activityId, quantity: d.quantity, tenantId: d.tenantId, tenantPath: d.tenantPath, userId: d.userId };
        await enqueueEvent(tx, d, 'distribution.recorded', event);
      }
      return row;
    });
    ctx.loaders.asset.clear(asset.id);
    return row;
  },
};

/** What an audit entry states of an asset: what people set and see (not its storage keys or creator column). */
export function auditedFields(asset: Partial<Asset>): Partial<Asset> {
  const { title, kind, status, fileName, contentType, byteSize, sha256, tags, campaignId, activityId, quantityProduced, quantityDistributed, rejectionReason } = asset;
  return { title, kind, status, fileName, contentType, byteSize, sha256, tags, campaignId, activityId, quantityProduced, quantityDistributed, rejectionReason };
}

/** An asset the caller may change: visible (else NOT_FOUND) and its own tenant's (else FORBIDDEN). */
async function own(ctx: MediaContext, id: string | number): Promise<Asset> {
  ctx.scope.requireRole('EDITOR');
  const asset = await assetService.find(ctx, id);
  if (!asset) throw notFound('Asset');
  if (asset.tenantId !== ctx.scope.tenantId) throw forbidden('Only the owning tenant may change this asset');
  return asset;
}

/**
 * The campaign and activity an asset belongs to, checked with campaigns as the same caller:
 * not visible → NOT_FOUND; visible but another tenant's (an ancestor's directive, a
 * descendant's activity) → FORBIDDEN. An activity brings its campaign.
 */
async function checkLinks(ctx: MediaContext, campaignId?: string | null, activityId?: string | null) {
  let campaign: number | null = null;
  let activity: number | null = null;
  if (activityId) {
    const id = toId(activityId);
    const found = id === null ? null : await ctx.activity(id);
    if (!found) throw notFound('Activity');
    if (found.tenant.id !== ctx.claims.tenantId) throw forbidden('Assets link only to activities of your own tenant');
    activity = id;
    campaign = Number(found.campaign.id);
  }
  if (campaignId) {
    const id = toId(campaignId);
    const found = id === null ? null : await ctx.campaign(id);
    if (!found) throw notFound('Campaign');
    if (found.tenant.id !== ctx.claims.tenantId) throw forbidden('Assets link only to campaigns of your own tenant');
    if (campaign !== null && campaign !== id) throw badInput('The activity belongs to another campaign', 'activityId');
    campaign = id;
  }
  return { campaignId: campaign, activityId: activity };
}

/** Tags are short text (one line, at most 50 characters each); blanks and repeats are dropped. */
function cleanTags(tags: string[] | null | undefined): string[] {
  const texts = (tags ?? []).map((tag, i) => optionalText(tag, `tags[${i}]`, 50));
  const cleaned = [...new Set(texts.filter((tag): tag is string => tag !== null))];
  if (cleaned.length > 20) throw badInput('At most 20 tags', 'tags');
  return cleaned;
}

function quantity(value: number, field: string, zeroAllowed: boolean): number {
  if (!Number.isInteger(value) || value < (zeroAllowed ? 0 : 1) || value > MAX_DISTRIBUTION * 100) {
    throw badInput(`${field} must be a${zeroAllowed ? ' non-negative' : ' positive'} whole number`, field);
  }
  if (!zeroAllowed && value > MAX_DISTRIBUTION) throw badInput(`${field} may be at most ${MAX_DISTRIBUTION} at once`, field);
  return value;
}
