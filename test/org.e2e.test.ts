import { issueToken } from '@cascade/kernel';
import { codeOf, PASSWORD, ROOT_EMAIL, startTestPlatform, TestPlatform } from './helpers/platform';

/** Org through the real gateway over HTTP: sign-in, the tree, the directory, bad input. */
let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform('org');
});
afterAll(async () => {
  await t?.stop();
});

async function createTenant(name: string, level: string, parentId: string | null) {
  const r = await t.root.run('mutation($i: CreateTenantInput!) { createTenant(input: $i) { id name level parent { id } } }', {
    i: { name, level, parentId },
  });
  return r.createTenant;
}

describe('sign-in', () => {
  beforeAll(async () => {
    const nation = await createTenant('全国整规办', 'NATIONAL', null);
    await t.root.run('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
      i: { tenantId: nation.id, email: 'Signin@Nation.test', name: '管理员', password: PASSWORD, role: 'ADMIN' },
    });
  });

  it('signs in with email (any case) and password and answers me', async () => {
    const r = await t.gql.request(
      'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token user { email role tenant { name level } } } }',
      { e: 'SIGNIN@nation.test', p: PASSWORD },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.signIn.user).toEqual({ email: 'signin@nation.test', role: 'ADMIN', tenant: { name: '全国整规办', level: 'NATIONAL' } });
    const me = await t.gql.withToken(r.data.signIn.token).run('{ me { email tenant { name } } }');
    expect(me.me).toEqual({ email: 'signin@nation.test', tenant: { name: '全国整规办' } });
  });

  it('answers a wrong password and an unknown email alike', async () => {
    const q = 'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }';
    const wrong = await t.gql.request(q, { e: 'signin@nation.test', p: 'not-the-password' });
    const unknown = await t.gql.request(q, { e: 'nobody@nation.test', p: PASSWORD });
    expect(codeOf(wrong)).toBe('UNAUTHENTICATED');
    expect(wrong.errors![0].message).toBe(unknown.errors![0].message);
    expect(codeOf(unknown)).toBe(codeOf(wrong));
    expect(wrong.data).toBeNull();
  });

  it('refuses every operation but signIn without a token, and a forged or expired token', async () => {
    expect(codeOf(await t.gql.request('{ me { email } }'))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql.request('mutation { createUnit(input: { name: "x" }) { id } }'))).toBe('UNAUTHENTICATED');
    // signIn together with another field is not the anonymous operation
    expect(codeOf(await t.gql.request(`mutation { signIn(email: "${ROOT_EMAIL}", password: "x") { token } createUnit(input: { name: "x" }) { id } }`))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql.withToken('not.a.token').request('{ me { email } }'))).toBe('UNAUTHENTICATED');
    const forged = t.root.token!.slice(0, -4) + 'AAAA';
    expect(codeOf(await t.gql.withToken(forged).request('{ me { email } }'))).toBe('UNAUTHENTICATED');
    const expired = await issueToken({ userId: 'root', tenantId: null, tenantPath: null, role: 'ADMIN', root: true }, t.config.JWT_SECRET!, -10);
    expect(codeOf(await t.gql.withToken(expired).request('{ me { email } }'))).toBe('UNAUTHENTICATED');
    const otherSecret = await issueToken({ userId: 'root', tenantId: null, tenantPath: null, role: 'ADMIN', root: true }, 'another-secret-0123456789', 600);
    expect(codeOf(await t.gql.withToken(otherSecret).request('{ me { email } }'))).toBe('UNAUTHENTICATED');
  });

  it('lets root sign in as the platform operator, a member of no tenant', async () => {
    const me = await t.root.request('{ me { email role } }');
    expect(me.data.me).toEqual({ email: ROOT_EMAIL, role: 'ADMIN' });
    const tenant = await t.root.request('{ me { tenant { id } } }');
    expect(codeOf(tenant)).toBe('FORBIDDEN');
  });
});

describe('tenant tree', () => {
  it('builds a tree with materialized paths: parent, children, ancestors, list filters', async () => {
    const nation = await createTenant('国', 'NATIONAL', null);
    const province = await createTenant('省', 'PROVINCE', nation.id);
    const city = await createTenant('市', 'CITY', province.id);
    const district = await createTenant('区', 'DISTRICT', city.id);
    expect(district.parent.id).toBe(city.id);
    const r = await t.root.run(
      'query($id: ID!) { tenant(id: $id) { name ancestors { name } parent { name } children { name } } }',
      { id: city.id },
    );
    expect(r.tenant).toEqual({ name: '市', ancestors: [{ name: '国' }, { name: '省' }], parent: { name: '省' }, children: [{ name: '区' }] });
    const byParent = await t.root.run('query($p: ID) { tenants(parentId: $p) { totalCount edges { node { name } } } }', { p: province.id });
    expect(byParent.tenants.edges.map((e: any) => e.node.name)).toEqual(['市']);
    const byLevel = await t.root.run('{ tenants(level: DISTRICT, first: 100) { edges { node { name level } } } }');
    expect(byLevel.tenants.edges.every((e: any) => e.node.level === 'DISTRICT')).toBe(true);
  });

  it('pages with first/after and refuses first above 100', async () => {
    const first = await t.root.run('{ tenants(first: 2) { totalCount edges { node { id } cursor } pageInfo { hasNextPage endCursor hasPreviousPage startCursor } } }');
    expect(first.tenants.edges).toHaveLength(2);
    expect(first.tenants.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, startCursor: first.tenants.edges[0].cursor, endCursor: first.tenants.edges[1].cursor });
    const next = await t.root.run('query($a: String) { tenants(first: 2, after: $a) { edges { node { id } cursor } pageInfo { hasPreviousPage startCursor } } }', { a: first.tenants.pageInfo.endCursor });
    expect(Number(next.tenants.edges[0].node.id)).toBeGreaterThan(Number(first.tenants.edges[1].node.id));
    // API.md "Lists": every PageInfo also has hasPreviousPage and startCursor
    expect(next.tenants.pageInfo).toEqual({ hasPreviousPage: true, startCursor: next.tenants.edges[0].cursor });
    expect(codeOf(await t.root.request('{ tenants(first: 101) { totalCount } }'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.root.request('{ tenants(first: 0) { totalCount } }'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.root.request('{ tenants(after: "bogus") { totalCount } }'))).toBe('BAD_USER_INPUT');
  });
});

describe('bad input is answered with a code and nothing is written', () => {
  async function tenantCount() {
    return (await t.root.run('{ tenants { totalCount } }')).tenants.totalCount;
  }

  it('refuses an empty name, an unknown parent, a wrong level and wrong types', async () => {
    const before = await tenantCount();
    const nation = (await t.root.run('{ tenants(level: NATIONAL) { edges { node { id } } } }')).tenants.edges[0].node.id;
    const q = 'mutation($i: CreateTenantInput!) { createTenant(input: $i) { id } }';
    expect(codeOf(await t.root.request(q, { i: { name: '   ', level: 'PROVINCE', parentId: nation } }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.root.request(q, { i: { name: '省', level: 'PROVINCE', parentId: '999999' } }))).toBe('NOT_FOUND');
    expect(codeOf(await t.root.request(q, { i: { name: '省', level: 'PROVINCE', parentId: 'abc' } }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.root.request(q, { i: { name: '省', level: 'NATIONAL', parentId: nation } }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.root.request(q, { i: { name: '省', level: 'PLANET', parentId: nation } }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.root.request(q, { i: { name: 42, level: 'PROVINCE', parentId: nation } }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.root.request('mutation { createTenant(input: { name: "x" }) { id } }'))).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(await tenantCount()).toBe(before);
  });

  it('refuses a duplicate email (any case) and a short password, writing nothing', async () => {
    const nation = (await t.root.run('{ tenants(level: NATIONAL) { edges { node { id } } } }')).tenants.edges[0].node.id;
    const q = 'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }';
    const input = { tenantId: nation, email: 'dup@x.test', name: '甲', password: PASSWORD, role: 'EDITOR' };
    expect(codeOf(await t.root.request(q, { i: input }))).toBe('NONE');
    expect(codeOf(await t.root.request(q, { i: { ...input, email: 'DUP@x.test', name: '乙' } }))).toBe('CONFLICT');
    expect(codeOf(await t.root.request(q, { i: { ...input, email: ROOT_EMAIL } }))).toBe('CONFLICT');
    expect(codeOf(await t.root.request(q, { i: { ...input, email: 'short@x.test', password: 'short' } }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.root.request(q, { i: { ...input, email: 'not-an-email' } }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.root.request(q, { i: { ...input, email: 'x@y.test', tenantId: '424242' } }))).toBe('NOT_FOUND');
    // the second account was not created: its password signs nobody in
    expect(codeOf(await t.gql.request('mutation { signIn(email: "short@x.test", password: "short") { token } }'))).toBe('UNAUTHENTICATED');
    const signedIn = await t.signIn('dup@x.test');
    expect((await signedIn.run('{ me { name } }')).me.name).toBe('甲');
  });
});

describe('units, people, committees', () => {
  it('lets an editor build the directory and a viewer only read it', async () => {
    const city = await createTenant('第八师石河子市', 'CITY', (await createTenant('兵团', 'PROVINCE', (await createTenant('全国', 'NATIONAL', null)).id)).id);
    for (const [email, role] of [['editor@bashi.test', 'EDITOR'], ['viewer@bashi.test', 'VIEWER']]) {
      await t.root.run('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
        i: { tenantId: city.id, email, name: role, password: PASSWORD, role },
      });
    }
    const editor = await t.signIn('editor@bashi.test');
    const viewer = await t.signIn('viewer@bashi.test');
    const unit = (await editor.run('mutation { createUnit(input: { name: "师市整规办" }) { id name tenant { name } } }')).createUnit;
    expect(unit.tenant.name).toBe('第八师石河子市');
    const person = (await editor.run('mutation($u: ID) { createPerson(input: { name: "张祖树", title: "八师副师长", unitId: $u }) { id unit { name } } }', { u: unit.id })).createPerson;
    expect(person.unit.name).toBe('师市整规办');
    const committee = (await editor.run('mutation { createCommittee(input: { name: "领导小组" }) { id } }')).createCommittee;
    const member = await editor.run('mutation($c: ID!, $p: ID!) { addCommitteeMember(input: { committeeId: $c, personId: $p, role: "组长" }) { role person { name } } }', { c: committee.id, p: person.id });
    expect(member.addCommitteeMember).toEqual({ role: '组长', person: { name: '张祖树' } });
    const again = await editor.request('mutation($c: ID!, $p: ID!) { addCommitteeMember(input: { committeeId: $c, personId: $p, role: "成员" }) { role } }', { c: committee.id, p: person.id });
    expect(codeOf(again)).toBe('CONFLICT');
    expect(codeOf(await viewer.request('mutation { createUnit(input: { name: "x" }) { id } }'))).toBe('FORBIDDEN');
    expect(codeOf(await editor.request('mutation { createUnit(input: { name: "" }) { id } }'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await editor.request('mutation($i: ID!) { createUser(input: { tenantId: $i, email: "e2@x.test", name: "n", password: "password-for-tests", role: VIEWER }) { id } }', { i: city.id }))).toBe('FORBIDDEN');
    const read = await viewer.run('query($id: ID!) { tenant(id: $id) { units { name } committees { name members { role person { name title unit { name } } } } } }', { id: city.id });
    expect(read.tenant).toEqual({
      units: [{ name: '师市整规办' }],
      committees: [{ name: '领导小组', members: [{ role: '组长', person: { name: '张祖树', title: '八师副师长', unit: { name: '师市整规办' } } }] }],
    });
  });
});
