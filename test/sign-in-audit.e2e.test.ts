import { GraphQLClient } from '@cascade/app';
import { codeOf, PASSWORD, ROOT_EMAIL, startTestPlatform, TestPlatform } from './helpers/platform';
import { buildTree, TreeKey, TreeNode } from './helpers/tree';

/**
 * org's audit trail (issue 10 item 6, the shape of issue 12 item 3): sign-ins, failed sign-ins,
 * sign-outs, revocations and administrative writes — who, when, what, from where — read
 * through `auditLog` by the tenant's admins and its ancestors' admins, never siblings.
 */
let t: TestPlatform;
let n: Record<TreeKey, TreeNode>;
beforeAll(async () => {
  t = await startTestPlatform('audit');
  n = await buildTree(t);
});
afterAll(async () => {
  await t?.stop();
});

const LOG = `query($type: String, $id: ID, $first: Int, $after: String) {
  auditLog(entityType: $type, entityId: $id, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id at action entityType entityId changes clientAddress actor { id email } } }
  }
}`;
const SIGN_IN = 'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }';

interface Entry {
  id: string;
  at: string;
  action: string;
  entityType: string;
  entityId: string;
  changes: string;
  clientAddress: string | null;
  actor: { id: string; email: string } | null;
}

async function entries(reader: GraphQLClient, variables: Record<string, unknown> = {}): Promise<Entry[]> {
  const data = await reader.run(LOG, { first: 100, ...variables });
  return data.auditLog.edges.map((e: { node: Entry }) => e.node);
}

async function createUser(key: TreeKey, email: string, role = 'EDITOR'): Promise<string> {
  const created = await n[key].admin.run('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
    i: { tenantId: n[key].tenantId, email, name: '审计对象', password: PASSWORD, role },
  });
  return created.createUser.id;
}

describe('sign-ins', () => {
  it('a sign-in is an entry of the user’s tenant: who, when, from where', async () => {
    const id = await createUser('cityA1', 'signin@audit.test');
    const before = Date.now() - 2000;
    await t.signIn('signin@audit.test');
    const [latest] = await entries(n.cityA1.admin, { type: 'User', id });
    expect(latest).toMatchObject({ action: 'SIGN_IN', entityType: 'User', entityId: id, actor: { id, email: 'signin@audit.test' } });
    expect(latest.clientAddress).toMatch(/127\.0\.0\.1|::1/);
    expect(new Date(latest.at).getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('a failed sign-in of an account keeps the email as typed, with no actor', async () => {
    const id = await createUser('cityA1', 'failed@audit.test');
    const answer = await t.gql.request(SIGN_IN, { e: 'Failed@Audit.test', p: 'not-the-password-1' });
    expect(codeOf(answer)).toBe('UNAUTHENTICATED');
    const [latest] = await entries(n.cityA1.admin, { type: 'User', id });
    expect(latest).toMatchObject({ action: 'SIGN_IN_FAILED', entityId: id, actor: null });
    expect(JSON.parse(latest.changes)).toEqual({ email: [null, 'failed@audit.test'] });
  });

  it('a failed sign-in of no account keeps only a hash of what was typed, read by root alone', async () => {
    const typed = 'hunter2-pasted-password@oops.test';
    expect(codeOf(await t.gql.request(SIGN_IN, { e: typed, p: 'whatever-password' }))).toBe('UNAUTHENTICATED');
    const rootLog = await entries(t.root, { type: 'User' });
    const failed = rootLog.find((e) => e.action === 'SIGN_IN_FAILED' && e.entityId.startsWith('sha256:'));
    expect(failed).toBeDefined();
    expect(JSON.stringify(rootLog)).not.toContain('hunter2');
    const nationLog = await entries(n.nation.admin, { type: 'User' });
    expect(nationLog.some((e) => e.id === failed!.id)).toBe(false);
  });

  it("root's own sign-in is an entry read by root only", async () => {
    await t.signIn(ROOT_EMAIL, 'root-password-for-tests');
    // root is user 0, an id no filter takes: its entries are found among every User entry
    const [latest] = (await entries(t.root, { type: 'User' })).filter((e) => e.entityId === '0');
    expect(latest).toMatchObject({ action: 'SIGN_IN', actor: { id: '0', email: ROOT_EMAIL } });
    const nationLog = await entries(n.nation.admin, { type: 'User' });
    expect(nationLog.length).toBeGreaterThan(0);
    expect(nationLog.filter((e) => e.entityId === '0')).toEqual([]);
  });

  it('a sign-out and a revocation are entries', async () => {
    const id = await createUser('cityA2', 'signout@audit.test');
    const user = await t.signIn('signout@audit.test');
    await user.run('mutation { signOut }');
    await n.provA.admin.run('mutation($u: ID!) { revokeUserTokens(userId: $u) { id } }', { u: id });
    const log = await entries(n.cityA2.admin, { type: 'User', id });
    expect(log.map((e) => e.action)).toEqual(['REVOKE_TOKENS', 'SIGN_OUT', 'SIGN_IN', 'CREATE']);
    expect(log[0].actor).toBeNull(); // the province admin who revoked is not visible to the city
    const provLog = await entries(n.provA.admin, { type: 'User', id });
    expect(provLog[0].actor?.email).toBe('admin@provA.test'.toLowerCase());
  });
});

describe('administrative writes', () => {
  it('createUser and updateUser record what changed, before and after; the password never', async () => {
    const id = await createUser('districtA1', 'changed@audit.test', 'ADMIN');
    await n.cityA1.admin.run('mutation($id: ID!) { updateUser(input: { id: $id, role: VIEWER, name: "新名" }) { id } }', { id });
    const [update, create] = await entries(n.districtA1.admin, { type: 'User', id });
    expect(update.action).toBe('UPDATE');
    expect(JSON.parse(update.changes)).toEqual({ name: ['审计对象', '新名'], role: ['ADMIN', 'VIEWER'] });
    expect(create.action).toBe('CREATE');
    expect(JSON.parse(create.changes)).toEqual({ email: [null, 'changed@audit.test'], name: [null, '审计对象'], role: [null, 'ADMIN'] });
    expect(create.changes).not.toContain(PASSWORD);
  });

  it('removeUser records what was removed', async () => {
    const id = await createUser('districtA1', 'removed@audit.test');
    await n.districtA1.admin.run('mutation($id: ID!) { removeUser(id: $id) }', { id });
    const [removal] = await entries(n.districtA1.admin, { type: 'User', id });
    expect(removal).toMatchObject({ action: 'DELETE', actor: { email: 'admin@districta1.test' } });
    expect(JSON.parse(removal.changes)).toMatchObject({ email: ['removed@audit.test', null], role: ['EDITOR', null] });
  });

  it.each([
    ['Tenant', 'mutation($p: ID!) { createTenant(input: { name: "审计街道", level: STREET, parentId: $p }) { id } }', { p: 'districtA1' }, 'createTenant'],
    ['Unit', 'mutation { createUnit(input: { name: "审计办" }) { id } }', {}, 'createUnit'],
    ['Person', 'mutation { createPerson(input: { name: "审计人" }) { id } }', {}, 'createPerson'],
    ['Committee', 'mutation { createCommittee(input: { name: "审计组" }) { id } }', {}, 'createCommittee'],
  ] as const)('a created %s is an entry with its fields', async (type, mutation, vars, field) => {
    const variables = 'p' in vars ? { p: n.districtA1.tenantId } : {};
    const created = await n.districtA1.admin.run(mutation, variables);
    const [entry] = await entries(n.districtA1.admin, { type, id: created[field].id });
    expect(entry).toMatchObject({ action: 'CREATE', entityType: type, actor: { email: 'admin@districta1.test' } });
    expect(Object.keys(JSON.parse(entry.changes))).toContain('name');
  });
});

describe('who reads what', () => {
  it.each([
    ['itself', 'cityA1', 'cityA1', true],
    ['its parent', 'provA', 'cityA1', true],
    ['its grandparent', 'nation', 'districtA1', true],
    ['a sibling', 'cityA2', 'cityA1', false],
    ['a sibling province', 'provB', 'cityA1', false],
    ['its child', 'districtA1', 'cityA1', false],
  ] as const)("%s: an admin reads a tenant's entries only at or above it", async (_label, reader, owner, sees) => {
    const log = await entries(n[reader].admin, { type: 'Unit', id: n[owner].unitId });
    expect(log.length > 0).toBe(sees);
    if (sees) expect(log[0]).toMatchObject({ action: 'CREATE', entityId: n[owner].unitId });
  });

  it('root reads every tenant’s entries', async () => {
    const log = await entries(t.root, { type: 'Unit', id: n.provB.unitId });
    expect(log.map((e) => e.action)).toEqual(['CREATE']);
  });

  it('newest first, paged with first/after, no entry twice', async () => {
    const first = await n.provA.admin.run(LOG, { first: 5 });
    expect(first.auditLog.edges).toHaveLength(5);
    expect(first.auditLog.pageInfo.hasNextPage).toBe(true);
    const ids = first.auditLog.edges.map((e: any) => Number(e.node.id));
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    const next = await n.provA.admin.run(LOG, { first: 5, after: first.auditLog.pageInfo.endCursor });
    const nextIds = next.auditLog.edges.map((e: any) => Number(e.node.id));
    expect(Math.max(...nextIds)).toBeLessThan(Math.min(...ids));
  });

  it('an editor or viewer answers FORBIDDEN', async () => {
    await createUser('cityA1', 'editor@audit.test');
    const editor = await t.signIn('editor@audit.test');
    expect(codeOf(await editor.request(LOG))).toBe('FORBIDDEN');
  });

  it('without a token answers UNAUTHENTICATED', async () => {
    expect(codeOf(await t.gql.request(LOG))).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['an entity type over 64 characters', { type: 'x'.repeat(65) }],
    ['a malformed cursor', { after: 'not-a-cursor' }],
    ['a page over the limit', { first: 1000 }],
  ])('%s answers BAD_USER_INPUT', async (_label, variables) => {
    expect(codeOf(await n.cityA1.admin.request(LOG, variables))).toBe('BAD_USER_INPUT');
  });
});
