import { GraphQLClient } from '../client';
import { DEMO_EXTRA_USERS, DEMO_PASSWORD, DEMO_TENANTS } from './org-demo';

export interface DemoIds {
  tenants: Record<string, string>;
  units: Record<string, Record<string, string>>;
}

/**
 * Loads the demo data through the public API (signed in as root, then as each tenant's
 * admin), so it passes every rule a client's data passes. Returns false when tenants
 * already exist (a second start keeps the data).
 */
export async function loadDemoData(gatewayUrl: string, rootEmail: string, rootPassword: string): Promise<DemoIds | null> {
  const root = await new GraphQLClient(gatewayUrl).signIn(rootEmail, rootPassword);
  const existing = await root.run<{ tenants: { totalCount: number } }>('{ tenants(first: 1) { totalCount } }');
  if (existing.tenants.totalCount > 0) return null;

  const ids: DemoIds = { tenants: {}, units: {} };
  for (const tenant of DEMO_TENANTS) {
    const created = await root.run<{ createTenant: { id: string } }>(
      'mutation($input: CreateTenantInput!) { createTenant(input: $input) { id } }',
      { input: { name: tenant.name, code: tenant.code, level: tenant.level, parentId: tenant.parent ? ids.tenants[tenant.parent] : null } },
    );
    ids.tenants[tenant.key] = created.createTenant.id;
    await createUser(root, ids.tenants[tenant.key], tenant.adminEmail, `${tenant.name}管理员`, 'ADMIN');
  }
  for (const user of DEMO_EXTRA_USERS) await createUser(root, ids.tenants[user.tenant], user.email, user.name, user.role);

  for (const tenant of DEMO_TENANTS) {
    const admin = await new GraphQLClient(gatewayUrl).signIn(tenant.adminEmail, DEMO_PASSWORD);
    const units: Record<string, string> = {};
    for (const name of tenant.units) {
      const r = await admin.run('mutation($input: CreateUnitInput!) { createUnit(input: $input) { id } }', { input: { name } });
      units[name] = r.createUnit.id;
    }
    ids.units[tenant.key] = units;
    const people: Record<string, string> = {};
    for (const person of tenant.people) {
      const r = await admin.run('mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }', {
        input: { name: person.name, title: person.title, unitId: person.unit ? units[person.unit] : null },
      });
      people[person.name] = r.createPerson.id;
    }
    for (const committee of tenant.committees) {
      const r = await admin.run('mutation($input: CreateCommitteeInput!) { createCommittee(input: $input) { id } }', {
        input: { name: committee.name },
      });
      for (const member of committee.members) {
        await admin.run('mutation($input: AddCommitteeMemberInput!) { addCommitteeMember(input: $input) { role } }', {
          input: { committeeId: r.createCommittee.id, personId: people[member.person], role: member.role },
        });
      }
    }
  }
  return ids;
}

async function createUser(root: GraphQLClient, tenantId: string, email: string, name: string, role: string) {
  await root.run('mutation($input: CreateUserInput!) { createUser(input: $input) { id } }', {
    input: { tenantId, email, name, password: DEMO_PASSWORD, role },
  });
}

/** The demo sign-ins, as printed at start. */
export function demoSignIns(): { tenant: string; email: string; password: string; role: string }[] {
  return [
    ...DEMO_TENANTS.map((t) => ({ tenant: t.name, email: t.adminEmail, password: DEMO_PASSWORD, role: 'ADMIN' })),
    ...DEMO_EXTRA_USERS.map((u) => ({
      tenant: DEMO_TENANTS.find((t) => t.key === u.tenant)!.name,
      email: u.email,
      password: DEMO_PASSWORD,
      role: u.role,
    })),
  ];
}
