import { RequestContext, ScopedData } from '@cascade/kernel';
import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { Committee, CommitteeMember, Person, Tenant, Unit } from './entities';

/**
 * Per-request DataLoaders. Every one reads through the request's scoped data, so the
 * cache lives one request and holds only what this caller may see.
 */
export function createOrgLoaders(data: ScopedData) {
  const tenants = data.repo(Tenant);
  return {
    /** Tenants in scope, plus the caller's own ancestors (names only reach the caller). */
    tenant: new DataLoader<number, Tenant | null>(async (ids) => {
      const scoped = await tenants.find({ id: In([...ids]) });
      const missing = ids.filter((id) => !scoped.some((t) => t.id === id));
      const lineage = missing.length ? await tenants.findInLineage({ id: In(missing) }) : [];
      const byId = new Map([...scoped, ...lineage].map((t) => [t.id, t]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    children: new DataLoader<number, Tenant[]>((ids) => tenants.findGrouped('parentId', ids as number[])),
    units: new DataLoader<number, Unit[]>((ids) => data.repo(Unit).findGrouped('tenantId', ids)),
    committees: new DataLoader<number, Committee[]>((ids) => data.repo(Committee).findGrouped('tenantId', ids)),
    members: new DataLoader<number, CommitteeMember[]>(async (ids) => {
      const groups = await data.repo(CommitteeMember).findGrouped('committeeId', ids);
      return groups.map((members) => members.sort((a, b) => a.position - b.position || a.id - b.id));
    }),
    unit: data.repo(Unit).loader(),
    person: data.repo(Person).loader(),
  };
}

export type OrgLoaders = ReturnType<typeof createOrgLoaders>;

export function withOrgLoaders(base: RequestContext) {
  return { ...base, loaders: createOrgLoaders(base.data) };
}
