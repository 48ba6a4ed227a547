import { badInput, conflict, isUniqueViolation, notFound, optionalText, requiredText, ScopedRepository, TenantOwned, toId } from '@cascade/kernel';
import { OrgContext } from '../context';
import { Committee, CommitteeMember, Person, Unit } from '../entities';
import { created } from './audit';

/** A row of the caller's own tenant, for references in writes (a visible descendant's is not enough). */
async function ownRow<T extends TenantOwned>(ctx: OrgContext, repo: ScopedRepository<T>, id: string, what: string, field: string) {
  const row = await repo.findById(id);
  if (!row) throw notFound(what);
  if (row.tenantId !== ctx.scope.tenantId) throw badInput(`${what} must belong to your own tenant`, field);
  return row;
}

/** Units, people and committees inside one tenant; editors and admins write them. */
export const directoryService = {
  /**
   * A unit reached through a federation reference: one the caller reads (its own tenant's or a
   * descendant's), or a unit of a tenant above it — a co-organiser named on one of the caller's
   * activities (campaigns stores an ancestor's unit only there, checked with this lookup as the
   * writer), shown by name and tenant only. Only a reference gets that far: `Tenant.units`,
   * people and committees of an ancestor stay unreadable, and a reference is made only by the
   * subgraphs (behind the gateway's signature) from the ids they store.
   */
  async unitReference(ctx: OrgContext, id: string): Promise<Unit | null> {
    const unit = await ctx.data.repo(Unit).findById(id);
    if (unit) return unit;
    const numeric = toId(id);
    if (numeric === null) return null;
    const [above] = await ctx.data.repo(Unit).findInLineage({ id: numeric });
    return above ?? null;
  },

  async createUnit(ctx: OrgContext, input: { name: string }): Promise<Unit> {
    ctx.scope.requireRole('EDITOR');
    const name = requiredText(input.name, 'name', 200);
    return created(ctx, 'Unit', { name }, (tx) => tx.repo(Unit).insert({ name }));
  },

  async createPerson(ctx: OrgContext, input: { name: string; title?: string | null; unitId?: string | null }): Promise<Person> {
    ctx.scope.requireRole('EDITOR');
    const name = requiredText(input.name, 'name', 100);
    const title = optionalText(input.title, 'title', 200);
    const unit = input.unitId ? await ownRow(ctx, ctx.data.repo(Unit), input.unitId, 'Unit', 'unitId') : null;
    const fields = { name, title, unitId: unit?.id ?? null };
    return created(ctx, 'Person', fields, (tx) => tx.repo(Person).insert(fields));
  },

  async createCommittee(ctx: OrgContext, input: { name: string }): Promise<Committee> {
    ctx.scope.requireRole('EDITOR');
    const name = requiredText(input.name, 'name', 200);
    return created(ctx, 'Committee', { name }, (tx) => tx.repo(Committee).insert({ name }));
  },

  async addMember(ctx: OrgContext, input: { committeeId: string; personId: string; role: string }): Promise<CommitteeMember> {
    ctx.scope.requireRole('EDITOR');
    const role = requiredText(input.role, 'role', 50);
    const committee = await ownRow(ctx, ctx.data.repo(Committee), input.committeeId, 'Committee', 'committeeId');
    const person = await ownRow(ctx, ctx.data.repo(Person), input.personId, 'Person', 'personId');
    const position = await ctx.data.repo(CommitteeMember).count({ committeeId: committee.id });
    const fields = { committeeId: committee.id, personId: person.id, role, position };
    try {
      return await created(ctx, 'CommitteeMember', fields, (tx) => tx.repo(CommitteeMember).insert(fields));
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('This person is already a member of this committee');
      throw err;
    }
  },
};
