import { AuditEntry } from '@cascade/kernel';
import { FeedEntry } from './feed-entry';
import { ScreenLink } from './screen-link';

export { FeedEntry, ScreenLink };

/** Every entity of the feeds service (the isolation test walks this list). */
export const feedsEntities = [FeedEntry, ScreenLink, AuditEntry]; // AuditEntry: the kernel's, this service's audit trail
