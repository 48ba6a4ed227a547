import { AuditEntry } from '@cascade/kernel';
import { Committee, CommitteeMember } from './committee';
import { Person } from './person';
import { Tenant } from './tenant';
import { Unit } from './unit';
import { User } from './user';

export { AuditEntry, Committee, CommitteeMember, Person, Tenant, Unit, User };
export * from './enums';

/** Every entity of the org service (the isolation test walks this list). */
export const orgEntities = [Tenant, User, Unit, Person, Committee, CommitteeMember, AuditEntry];
