import { ReportsInitial1764700000000 } from './1764700000000-ReportsInitial';
import { ReportsAuditEntries1764900000000 } from './1764900000000-ReportsAuditEntries';

export const reportsMigrations = [ReportsInitial1764700000000, ReportsAuditEntries1764900000000];
