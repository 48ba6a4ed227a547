import { ConnectionType } from '@cascade/kernel';
import { Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Asset, AssetKind } from '../entities';

/** Campaign is owned by campaigns; this subgraph adds `assets` to it. */
@Directive('@key(fields: "id")')
@ObjectType('Campaign')
export class CampaignRef {
  @Field(() => ID)
  id: string;
}

/** Activity is owned by campaigns; this subgraph adds `assets` to it. */
@Directive('@key(fields: "id")')
@ObjectType('Activity')
export class ActivityRef {
  @Field(() => ID)
  id: string;
}

/** Owned by org. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Tenant')
export class TenantRef {
  @Field(() => ID)
  id: string;
}

export const ref = (id: number | null) => (id ? { id: String(id) } : null);

export const AssetConnection = ConnectionType(Asset, 'Asset');

@ObjectType()
export class UploadTicket {
  @Field(() => Asset)
  asset: Asset;

  @Field({ description: 'PUT the raw bytes here (no Authorization needed); single use; relative to the gateway unless PUBLIC_URL is set' })
  uploadUrl: string;

  @Field(() => Date)
  expiresAt: Date;
}

@InputType()
export class RequestUploadInput {
  @Field()
  title: string;

  @Field(() => AssetKind)
  kind: AssetKind;

  @Field({ description: 'Used only for Content-Disposition on download; its extension must go with contentType' })
  fileName: string;

  @Field({ description: 'Images (PNG, JPEG, GIF, WebP), video (MP4, MOV, WebM), PDF, Word/Excel/PowerPoint (OOXML)' })
  contentType: string;

  @Field(() => Int, { description: 'The exact size in bytes; the upload must send exactly this many' })
  byteSize: number;

  @Field(() => ID, { nullable: true })
  campaignId?: string | null;

  @Field(() => ID, { nullable: true, description: 'An activity brings its campaign' })
  activityId?: string | null;

  @Field(() => [String], { nullable: true })
  tags?: string[] | null;

  @Field(() => Int, { nullable: true, description: 'Printed copies produced (0 or absent: not tracked)' })
  quantityProduced?: number | null;
}

@InputType()
export class UpdateAssetInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => [String], { nullable: true })
  tags?: string[] | null;

  @Field(() => Int, { nullable: true, description: 'Not below the quantity already distributed' })
  quantityProduced?: number | null;

  @Field(() => ID, { nullable: true })
  campaignId?: string | null;

  @Field(() => ID, { nullable: true })
  activityId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Removes the campaign and activity links' })
  unlink?: boolean | null;
}

@InputType()
export class RecordDistributionInput {
  @Field(() => ID)
  assetId: string;

  @Field(() => Int)
  quantity: number;
}
