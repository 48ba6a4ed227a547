import { OrgInitial1732780000000 } from './1732780000000-OrgInitial';
import { OrgTokenVersionAndAudit1764672000000 } from './1764672000000-OrgTokenVersionAndAudit';
import { AuditEntriesShared1764900000000 } from './1764900000000-AuditEntriesShared';

export const orgMigrations = [OrgInitial1732780000000, OrgTokenVersionAndAudit1764672000000, AuditEntriesShared1764900000000];
