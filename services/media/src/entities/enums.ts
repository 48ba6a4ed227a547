import { registerEnumType } from 'type-graphql';

export enum AssetKind {
  DISPLAY_BOARD = 'DISPLAY_BOARD',
  POSTER = 'POSTER',
  FLYER = 'FLYER',
  BANNER = 'BANNER',
  PHOTO = 'PHOTO',
  VIDEO = 'VIDEO',
  DOCUMENT = 'DOCUMENT',
  MODEL = 'MODEL',
  OTHER = 'OTHER',
}
registerEnumType(AssetKind, { name: 'AssetKind' });

export enum AssetStatus {
  /** Waiting for its bytes (PUT uploadUrl). */
  PENDING = 'PENDING',
  READY = 'READY',
  /** The upload was refused; rejectionReason says why. */
  REJECTED = 'REJECTED',
}
registerEnumType(AssetStatus, { name: 'AssetStatus' });
