import { GraphQLClient } from '@cascade/app';
import { PASSWORD, TestPlatform } from './platform';

/**
 * A small tenant tree for isolation tests:
 *   nation ─┬─ provA ─┬─ cityA1 ── districtA1
 *           │         └─ cityA2            (sibling of cityA1)
 *           └─ provB                        (sibling of provA)
 * Each tenant has an ADMIN (admin@<key>.test), a unit, a person and a committee.
 */
export const TREE = [
  { key: 'nation', name: '全国', level: 'NATIONAL', parent: null },
  { key: 'provA', name: '甲省', level: 'PROVINCE', parent: 'nation' },
  { key: 'provB', name: '乙省', level: 'PROVINCE', parent: 'nation' },
  { key: 'cityA1', name: '甲一市', level: 'CITY', parent: 'provA' },
  { key: 'cityA2', name: '甲二市', level: 'CITY', parent: 'provA' },
  { key: 'districtA1', name: '甲一区', level: 'DISTRICT', parent: 'cityA1' },
] as const;

export type TreeKey = (typeof TREE)[number]['key'];

export interface TreeNode {
  tenantId: string;
  admin: GraphQLClient;
  unitId: string;
  personId: string;
  committeeId: string;
}

export async function buildTree(t: TestPlatform, tag = ''): Promise<Record<TreeKey, TreeNode>> {
  const nodes = {} as Record<TreeKey, TreeNode>;
  for (const tenant of TREE) {
    const created = await t.root.run('mutation($i: CreateTenantInput!) { createTenant(input: $i) { id } }', {
      i: { name: `${tenant.name}${tag}`, level: tenant.level, parentId: tenant.parent ? nodes[tenant.parent].tenantId : null },
    });
    const tenantId = created.createTenant.id;
    const email = `admin@${tenant.key}${tag}.test`.toLowerCase();
    await t.root.run('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
      i: { tenantId, email, name: `${tenant.name}管理员`, password: PASSWORD, role: 'ADMIN' },
    });
    const admin = await t.signIn(email);
    const unit = await admin.run('mutation { createUnit(input: { name: "整规办" }) { id } }');
    const person = await admin.run('mutation($i: CreatePersonInput!) { createPerson(input: $i) { id } }', {
      i: { name: `${tenant.name}组长`, title: '组长', unitId: unit.createUnit.id },
    });
    const committee = await admin.run('mutation { createCommittee(input: { name: "领导小组" }) { id } }');
    await admin.run('mutation($i: AddCommitteeMemberInput!) { addCommitteeMember(input: $i) { role } }', {
      i: { committeeId: committee.createCommittee.id, personId: person.createPerson.id, role: '组长' },
    });
    nodes[tenant.key] = {
      tenantId,
      admin,
      unitId: unit.createUnit.id,
      personId: person.createPerson.id,
      committeeId: committee.createCommittee.id,
    };
  }
  return nodes;
}
