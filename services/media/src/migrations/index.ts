import { MediaInitial1732820000000 } from './1732820000000-MediaInitial';
import { MediaAuditEntries1764900000000 } from './1764900000000-MediaAuditEntries';
import { MediaOutbox1765000000000 } from './1765000000000-MediaOutbox';

export const mediaMigrations = [MediaInitial1732820000000, MediaAuditEntries1764900000000, MediaOutbox1765000000000];
