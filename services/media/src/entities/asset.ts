import { TenantOwned } from '@cascade/kernel';
import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { AssetKind, AssetStatus } from './enums';

/**
 * A media asset: a display board, poster, photo, clip or document, its file (stored under a
 * generated key, never the client's name) and, for printed matter, quantities.
 */
@Directive('@key(fields: "id")')
@ObjectType()
@Entity('assets')
export class Asset extends TenantOwned {
  @Field()
  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Field(() => AssetKind)
  @Column({ type: 'varchar', length: 32 })
  kind: AssetKind;

  @Field(() => AssetStatus)
  @Column({ type: 'varchar', length: 16 })
  status: AssetStatus;

  /** Declared at requestUpload; once READY, the type sniffed from the bytes (the same by then). */
  @Field(() => String, { nullable: true })
  @Column({ name: 'content_type', type: 'varchar', length: 120 })
  contentType: string;

  /** Declared at requestUpload; exactly the stored size once READY. */
  @Field(() => Int, { nullable: true })
  @Column({ name: 'byte_size', type: 'int' })
  byteSize: number;

  @Field(() => String, { nullable: true, description: 'Hex SHA-256 of the stored bytes (READY only)' })
  @Column({ type: 'varchar', length: 64, nullable: true })
  sha256: string | null;

  @Field({ description: 'The client’s file name, cleaned; used only for Content-Disposition, never on disk' })
  @Column({ name: 'file_name', type: 'varchar', length: 255 })
  fileName: string;

  @Field(() => [String])
  @Column({ type: 'simple-json' })
  tags: string[];

  @Index()
  @Column({ name: 'campaign_id', type: 'int', nullable: true })
  campaignId: number | null;

  @Index()
  @Column({ name: 'activity_id', type: 'int', nullable: true })
  activityId: number | null;

  @Field(() => Int, { description: 'Printed copies produced; 0 when not tracked (then distribution is not capped)' })
  @Column({ name: 'quantity_produced', type: 'int', default: 0 })
  quantityProduced: number;

  @Field(() => Int)
  @Column({ name: 'quantity_distributed', type: 'int', default: 0 })
  quantityDistributed: number;

  @Field(() => String, { nullable: true, description: 'Why the upload was refused (REJECTED only)' })
  @Column({ name: 'rejection_reason', type: 'varchar', length: 300, nullable: true })
  rejectionReason: string | null;

  /** Generated: tenants/<tenantId>/<assetId>/<random>. Set when the upload starts. */
  @Column({ name: 'storage_key', type: 'varchar', length: 255, nullable: true })
  storageKey: string | null;

  @Column({ name: 'thumbnail_key', type: 'varchar', length: 255, nullable: true })
  thumbnailKey: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 64 })
  createdBy: string;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'uploaded_at', type: 'datetime', nullable: true })
  uploadedAt: Date | null;
}

/**
 * One row per upload started: the unique asset id makes an upload URL single-use even when
 * two requests race with it (the second insert fails).
 */
@Entity('asset_uploads')
export class AssetUpload extends TenantOwned {
  @Index('UQ_asset_uploads_asset', { unique: true })
  @Column({ name: 'asset_id', type: 'int' })
  assetId: number;
}

/**
 * Every recordDistribution, kept in the same transaction as the quantity it adds. One linked
 * to an activity also writes its `distribution.recorded` event (same eventId) to the outbox
 * (the kernel's outbox_events) in that transaction; campaigns applies each event id once.
 */
@Entity('asset_distributions')
export class AssetDistribution extends TenantOwned {
  @Index('UQ_asset_distributions_event', { unique: true })
  @Column({ name: 'event_id', type: 'varchar', length: 64 })
  eventId: string;

  @Index()
  @Column({ name: 'asset_id', type: 'int' })
  assetId: number;

  @Column({ name: 'activity_id', type: 'int', nullable: true })
  activityId: number | null;

  @Column({ type: 'int' })
  quantity: number;

  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;
}
