import { FeedsInitial1732800000000 } from './1732800000000-FeedsInitial';
import { ScreenLinks1732810000000 } from './1732810000000-ScreenLinks';
import { FeedsAuditEntries1764900000000 } from './1764900000000-FeedsAuditEntries';

export const feedsMigrations = [FeedsInitial1732800000000, ScreenLinks1732810000000, FeedsAuditEntries1764900000000];
