import { AuditEntry, OutboxEvent } from '@cascade/kernel';
import { Asset, AssetDistribution, AssetUpload } from './asset';

export { Asset, AssetDistribution, AssetUpload };
export * from './enums';

/** Every entity of the media service (the isolation test walks this list). */
// AuditEntry: the kernel's, this service's audit trail; OutboxEvent: its durable events (distribution.recorded)
export const mediaEntities = [Asset, AssetUpload, AssetDistribution, AuditEntry, OutboxEvent];
