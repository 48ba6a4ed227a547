import { INTERNAL_CONTEXT_HEADER, signInternalContext } from '@cascade/kernel';
import { codeOf, startTestPlatform, TestPlatform } from './helpers/platform';
import { buildTree, TreeKey, TreeNode } from './helpers/tree';
import { WsGraphQLClient } from './helpers/ws-client';

/**
 * The cross-tenant matrix for org, through the real gateway over both transports — HTTP and
 * graphql-ws (the same operations sent as graphql-ws messages, each transport on a platform of
 * its own) — and around it, straight at the subgraph: sibling, parent, child, forged id, list
 * filters, nested edges, _entities.
 */
type Client = Pick<WsGraphQLClient, 'request' | 'run'>;
type Node = Omit<TreeNode, 'admin'> & { admin: Client };
let t: TestPlatform;
let http: Record<TreeKey, TreeNode>;
/** The matrix's clients: HTTP, or the same users over graphql-ws. */
let n: Record<TreeKey, Node>;
let root: Client;
beforeAll(async () => {
  t = await startTestPlatform('iso');
  http = await buildTree(t);
});
afterAll(async () => {
  await t?.stop();
});

describe.each(['HTTP', 'graphql-ws'] as const)('over %s', (transport) => {
  let own: TestPlatform | null = null;
  const sockets: WsGraphQLClient[] = [];
  beforeAll(async () => {
    if (transport === 'HTTP') {
      n = http;
      root = t.root;
      return;
    }
    own = await startTestPlatform('isows');
    const tree = await buildTree(own);
    const overWs = (token: string | null) => {
      const client = new WsGraphQLClient(own!.platform.gateway.url, token);
      sockets.push(client);
      return client;
    };
    n = Object.fromEntries(Object.entries(tree).map(([key, node]) => [key, { ...node, admin: overWs(node.admin.token) }])) as unknown as Record<TreeKey, Node>;
    root = overWs(own.root.token);
  }, 60_000);
  afterAll(async () => {
    for (const socket of sockets) await socket.close();
    await own?.stop();
  });

const TENANT = 'query($id: ID!) { tenant(id: $id) { id name units { name } committees { name members { role person { name } } } } }';

  describe('reads', () => {
    it('a tenant reads itself and its descendants', async () => {
      const self = await n.cityA1.admin.run(TENANT, { id: n.cityA1.tenantId });
      expect(self.tenant.name).toBe('甲一市');
      const child = await n.cityA1.admin.run(TENANT, { id: n.districtA1.tenantId });
      expect(child.tenant).toMatchObject({ name: '甲一区', units: [{ name: '整规办' }], committees: [{ members: [{ role: '组长', person: { name: '甲一区组长' } }] }] });
      const grandchild = await n.provA.admin.run(TENANT, { id: n.districtA1.tenantId });
      expect(grandchild.tenant.name).toBe('甲一区');
    });

    it.each([
      ['sibling', 'cityA1', 'cityA2'],
      ['parent', 'cityA1', 'provA'],
      ['grandparent', 'districtA1', 'nation'],
      ['sibling province', 'provB', 'provA'],
      ["sibling's child", 'cityA2', 'districtA1'],
    ] as const)('a %s is null', async (_label, reader, target) => {
      const r = await n[reader].admin.request(TENANT, { id: n[target].tenantId });
      expect(r.errors).toBeUndefined();
      expect(r.data.tenant).toBeNull();
    });

    it.each(['999999', '2147483647'])('a forged id %p in range is null, like a sibling', async (id) => {
      const r = await n.cityA1.admin.request(TENANT, { id });
      expect(r.errors).toBeUndefined();
      expect(r.data.tenant).toBeNull();
    });

    it.each(['0', '-1', 'abc', '1 OR 1=1', '1e3', '2147483648', '99999999999999999999'])('a forged id %p out of range is BAD_USER_INPUT and null', async (id) => {
      const r = await n.cityA1.admin.request(TENANT, { id });
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(r.data.tenant).toBeNull();
    });

    it('lists only the own subtree, whatever the filters', async () => {
      const all = await n.cityA1.admin.run('{ tenants(first: 100) { totalCount edges { node { name } } } }');
      expect(all.tenants.edges.map((e: any) => e.node.name).sort()).toEqual(['甲一区', '甲一市'].sort());
      expect(all.tenants.totalCount).toBe(2);
      const byParent = await n.cityA1.admin.run('query($p: ID) { tenants(parentId: $p) { edges { node { name } } } }', { p: n.provA.tenantId });
      expect(byParent.tenants.edges.map((e: any) => e.node.name)).toEqual(['甲一市']);
      const byLevel = await n.cityA1.admin.run('{ tenants(level: CITY) { edges { node { name } } } }');
      expect(byLevel.tenants.edges.map((e: any) => e.node.name)).toEqual(['甲一市']);
      const province = await n.provB.admin.run('{ tenants(first: 100) { edges { node { name } } } }');
      expect(province.tenants.edges.map((e: any) => e.node.name)).toEqual(['乙省']);
    });

    it('nested edges never reach a sibling: parent { children { units } }', async () => {
      const r = await n.cityA1.admin.run(
        'query($id: ID!) { tenant(id: $id) { ancestors { name units { name } committees { name } children { name units { name } } } parent { name units { name } children { name } } } }',
        { id: n.cityA1.tenantId },
      );
      expect(r.tenant.parent).toEqual({ name: '甲省', units: [], children: [{ name: '甲一市' }] });
      expect(r.tenant.ancestors.map((a: any) => a.name)).toEqual(['全国', '甲省']);
      for (const ancestor of r.tenant.ancestors) {
        expect(ancestor.units).toEqual([]);
        expect(ancestor.committees).toEqual([]);
      }
      const names = JSON.stringify(r);
      expect(names).not.toContain('甲二市');
      expect(names).not.toContain('乙省');
    });

    it('root reads the whole tree', async () => {
      const all = await root.run('{ tenants(first: 100) { totalCount } }');
      expect(all.tenants.totalCount).toBe(6);
    });
  });

  describe('writes', () => {
    const CREATE_USER = 'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }';

    it("an admin cannot create users or tenants in a sibling's or parent's tenant", async () => {
      const user = (tenantId: string, email: string) => ({ i: { tenantId, email, name: 'x', password: 'password-1', role: 'VIEWER' } });
      expect(codeOf(await n.cityA2.admin.request(CREATE_USER, user(n.cityA1.tenantId, 'a@sib.test')))).toBe('NOT_FOUND');
      expect(codeOf(await n.cityA1.admin.request(CREATE_USER, user(n.provA.tenantId, 'a@par.test')))).toBe('NOT_FOUND');
      expect(codeOf(await n.cityA1.admin.request(CREATE_USER, user(n.districtA1.tenantId, 'a@child.test')))).toBe('NONE');
      const tenant = 'mutation($i: CreateTenantInput!) { createTenant(input: $i) { id } }';
      expect(codeOf(await n.cityA1.admin.request(tenant, { i: { name: '街', level: 'STREET', parentId: n.cityA2.tenantId } }))).toBe('NOT_FOUND');
      expect(codeOf(await n.cityA1.admin.request(tenant, { i: { name: '区', level: 'DISTRICT', parentId: n.provA.tenantId } }))).toBe('NOT_FOUND');
      expect(codeOf(await n.cityA1.admin.request(tenant, { i: { name: '区', level: 'DISTRICT', parentId: null } }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await n.cityA1.admin.request(tenant, { i: { name: '街', level: 'STREET', parentId: n.districtA1.tenantId } }))).toBe('NONE');
      // nothing leaked into the sibling
      const sibling = await n.cityA2.admin.run('{ tenants { totalCount } }');
      expect(sibling.tenants.totalCount).toBe(1);
    });

    it("references in writes must be the caller's own: sibling is NOT_FOUND, child is BAD_USER_INPUT", async () => {
      const person = 'mutation($u: ID) { createPerson(input: { name: "某人", unitId: $u }) { id } }';
      expect(codeOf(await n.cityA1.admin.request(person, { u: n.cityA2.unitId }))).toBe('NOT_FOUND');
      expect(codeOf(await n.cityA1.admin.request(person, { u: n.provA.unitId }))).toBe('NOT_FOUND');
      expect(codeOf(await n.cityA1.admin.request(person, { u: n.districtA1.unitId }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await n.cityA1.admin.request(person, { u: '999999' }))).toBe('NOT_FOUND');
      const member = 'mutation($c: ID!, $p: ID!) { addCommitteeMember(input: { committeeId: $c, personId: $p, role: "成员" }) { role } }';
      expect(codeOf(await n.cityA1.admin.request(member, { c: n.cityA2.committeeId, p: n.cityA1.personId }))).toBe('NOT_FOUND');
      expect(codeOf(await n.cityA1.admin.request(member, { c: n.cityA1.committeeId, p: n.cityA2.personId }))).toBe('NOT_FOUND');
    });

    it('root is a member of no tenant: it cannot create units', async () => {
      expect(codeOf(await root.request('mutation { createUnit(input: { name: "x" }) { id } }'))).toBe('FORBIDDEN');
    });
  });
});

describe('around the gateway', () => {
  beforeAll(() => {
    n = http;
  });
  const orgUrl = () => t.platform.services.find((s) => s.name === 'org')!.url;
  const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Tenant { id name } } }`;

  async function direct(body: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(orgUrl(), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  }

  it('_entities is not part of the public schema', async () => {
    const r = await n.cityA1.admin.request(entities, { r: [{ __typename: 'Tenant', id: n.cityA2.tenantId }] });
    expect(codeOf(r)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(r)).not.toContain('甲二市');
  });

  it('a subgraph refuses a call with no, a forged or an expired internal context', async () => {
    const body = { query: entities, variables: { r: [{ __typename: 'Tenant', id: n.cityA2.tenantId }] } };
    const none = await direct(body);
    expect(none.status).toBe(401);
    expect(none.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const forged = signInternalContext({ userId: '1', tenantId: null, tenantPath: null, role: 'ADMIN', root: true }, 'not-the-internal-secret-123', JSON.stringify(body));
    const f = await direct(body, { [INTERNAL_CONTEXT_HEADER]: forged });
    expect(f.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const expired = signInternalContext({ userId: '1', tenantId: null, tenantPath: null, role: 'ADMIN', root: true }, t.config.INTERNAL_SECRET!, JSON.stringify(body), -5);
    expect((await direct(body, { [INTERNAL_CONTEXT_HEADER]: expired })).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const sdl = await direct({ query: '{ _service { sdl } }' });
    expect(sdl.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(sdl.body)).not.toContain('type Tenant');
    for (const r of [none, f]) expect(JSON.stringify(r.body)).not.toContain('甲二市');
  });

  it('even a validly signed call resolves entities under its own scope', async () => {
    const path = (await t.platform.services[0].dataSource.query('SELECT tenant_path FROM tenants WHERE id = ?', [Number(n.cityA1.tenantId)]))[0].tenant_path;
    const claims = { userId: '1', tenantId: n.cityA1.tenantId, tenantPath: path, role: 'ADMIN' as const, root: false };
    const body = { query: entities, variables: { r: [{ __typename: 'Tenant', id: n.cityA2.tenantId }, { __typename: 'Tenant', id: n.districtA1.tenantId }] } };
    const signed = signInternalContext(claims, t.config.INTERNAL_SECRET!, JSON.stringify(body));
    const r = await direct(body, { [INTERNAL_CONTEXT_HEADER]: signed });
    expect(r.body.data._entities).toEqual([null, { id: n.districtA1.tenantId, name: '甲一区' }]);
  });
});
