import { capabilityKey, INTERNAL_CONTEXT_HEADER, signCapability, signInternalContext } from '@cascade/kernel';
import { codeOf, startTestPlatform, TestPlatform } from './helpers/platform';
import { buildTree, TreeKey, TreeNode } from './helpers/tree';
import { WsGraphQLClient } from './helpers/ws-client';

/**
 * The cross-tenant matrix for org and reports, through the real gateway over both transports —
 * HTTP and graphql-ws (the same operations sent as graphql-ws messages, each transport on a
 * platform of its own) — and around it, straight at the subgraph: sibling, parent, child, forged
 * id, list filters, nested edges, _entities, capability URLs.
 */

/** The report states, in order: the owning tenant reads each; ancestors all but the first. */
const STATES = ['DRAFT', 'SUBMITTED', 'RETURNED', 'ACCEPTED'] as const;

interface ReportFixture {
  campaignId: string;
  reportId: string;
  title: string;
}
/** cityA1's reports, one per state; districtA1's and cityA2's, sent up. */
type ReportFixtures = Record<(typeof STATES)[number] | 'district' | 'sibling', ReportFixture>;

/** Made over HTTP by the owners and the parent (what the matrix reads, not what it tests). */
async function reportFixtures(tree: Record<TreeKey, TreeNode>): Promise<ReportFixtures> {
  const make = async (key: TreeKey, title: string): Promise<ReportFixture> => {
    const admin = tree[key].admin;
    const c = await admin.run('mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }', {
      i: { title, theme: '保护知识产权，促进创新发展', focusPoints: [], startsOn: '2024-04-20', endsOn: '2024-04-26' },
    });
    const campaignId = c.createCampaign.id as string;
    await admin.run('mutation($id: ID!) { publishCampaign(id: $id) { status } }', { id: campaignId });
    const r = await admin.run('mutation($id: ID!) { generateReport(campaignId: $id) { id title } }', { id: campaignId });
    return { campaignId, reportId: r.generateReport.id, title: r.generateReport.title };
  };
  const submit = (key: TreeKey, f: ReportFixture) => tree[key].admin.run('mutation($id: ID!) { submitReport(input: { id: $id, acknowledgeMissing: true }) { status } }', { id: f.reportId });
  const fixtures = {
    DRAFT: await make('cityA1', '甲一市宣传周（草稿）'),
    SUBMITTED: await make('cityA1', '甲一市宣传周（已报送）'),
    RETURNED: await make('cityA1', '甲一市宣传周（已退回）'),
    ACCEPTED: await make('cityA1', '甲一市宣传周（已接收）'),
    district: await make('districtA1', '甲一区宣传周'),
    sibling: await make('cityA2', '甲二市宣传周'),
  };
  for (const f of [fixtures.SUBMITTED, fixtures.RETURNED, fixtures.ACCEPTED]) await submit('cityA1', f);
  await submit('districtA1', fixtures.district);
  await submit('cityA2', fixtures.sibling);
  await tree.provA.admin.run('mutation($id: ID!) { returnReport(input: { id: $id, reason: "请补充" }) { status } }', { id: fixtures.RETURNED.reportId });
  await tree.provA.admin.run('mutation($id: ID!) { acceptReport(id: $id) { status } }', { id: fixtures.ACCEPTED.reportId });
  return fixtures;
}

type Client = Pick<WsGraphQLClient, 'request' | 'run'>;
type Node = Omit<TreeNode, 'admin'> & { admin: Client };
let t: TestPlatform;
let http: Record<TreeKey, TreeNode>;
/** The matrix's clients: HTTP, or the same users over graphql-ws. */
let n: Record<TreeKey, Node>;
let root: Client;
/** The reports of the platform the matrix runs on (set up over HTTP: the setup is not under test). */
let reports: ReportFixtures;
let httpReports: ReportFixtures;
/** The gateway the matrix's clients talk to (download URLs are relative to it). */
let gatewayUrl: string;
beforeAll(async () => {
  t = await startTestPlatform('iso');
  http = await buildTree(t);
  httpReports = await reportFixtures(http);
}, 120_000);
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
      reports = httpReports;
      gatewayUrl = t.platform.gateway.url;
      return;
    }
    own = await startTestPlatform('isows');
    const tree = await buildTree(own);
    reports = await reportFixtures(tree);
    gatewayUrl = own.platform.gateway.url;
    const overWs = (token: string | null) => {
      const client = new WsGraphQLClient(own!.platform.gateway.url, token);
      sockets.push(client);
      return client;
    };
    n = Object.fromEntries(Object.entries(tree).map(([key, node]) => [key, { ...node, admin: overWs(node.admin.token) }])) as unknown as Record<TreeKey, Node>;
    root = overWs(own.root.token);
  }, 120_000);
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

  describe('reports', () => {
    const REPORT = 'query($id: ID!) { report(id: $id) { id status title tenant { id } sections { key } } }';
    const CAMPAIGN_REPORT = 'query($id: ID!) { campaign(id: $id) { id report { id status } } }';
    const read = async (who: Client, id: string) => {
      const r = await who.request(REPORT, { id });
      expect(r.errors).toBeUndefined();
      return r.data.report as { id: string; status: string; tenant: { id: string }; sections: { key: string }[] } | null;
    };

    it.each(STATES)('the owning tenant reads its %s report, and as its campaign’s report', async (state) => {
      const report = await read(n.cityA1.admin, reports[state].reportId);
      expect(report).toMatchObject({ id: reports[state].reportId, status: state, tenant: { id: n.cityA1.tenantId } });
      expect(report!.sections.length).toBeGreaterThan(0);
      const { campaign } = await n.cityA1.admin.run(CAMPAIGN_REPORT, { id: reports[state].campaignId });
      expect(campaign.report).toEqual({ id: reports[state].reportId, status: state });
    });

    it.each([
      ['parent', 'provA'],
      ['grandparent', 'nation'],
    ] as const)('the %s reads it once submitted (SUBMITTED, RETURNED, ACCEPTED), never the DRAFT', async (_label, who) => {
      for (const state of STATES) {
        const report = await read(n[who].admin, reports[state].reportId);
        if (state === 'DRAFT') expect(report).toBeNull();
        else expect(report).toMatchObject({ id: reports[state].reportId, status: state });
        const { campaign } = await n[who].admin.run(CAMPAIGN_REPORT, { id: reports[state].campaignId });
        expect(campaign.report).toEqual(state === 'DRAFT' ? null : { id: reports[state].reportId, status: state });
      }
    });

    it.each([
      ['a sibling', 'cityA2'],
      ['a descendant', 'districtA1'],
      ['another province', 'provB'],
    ] as const)('%s never reads it, in any state, nor through its campaign', async (_label, who) => {
      for (const state of STATES) {
        expect(await read(n[who].admin, reports[state].reportId)).toBeNull();
        const r = await n[who].admin.request(CAMPAIGN_REPORT, { id: reports[state].campaignId });
        expect(r.data?.campaign?.report ?? null).toBeNull();
        expect(JSON.stringify(r)).not.toContain(reports[state].title);
      }
    });

    it('root reads no report (the platform operator is a member of no tenant)', async () => {
      for (const state of STATES) expect(await read(root, reports[state].reportId)).toBeNull();
    });

    it('a report below is the ancestors’ only: cityA1 reads its child’s sent-up report, the child’s sibling city does not', async () => {
      expect(await read(n.cityA1.admin, reports.district.reportId)).toMatchObject({ status: 'SUBMITTED', tenant: { id: n.districtA1.tenantId } });
      expect(await read(n.cityA2.admin, reports.district.reportId)).toBeNull();
      expect(await read(n.provA.admin, reports.sibling.reportId)).toMatchObject({ status: 'SUBMITTED', tenant: { id: n.cityA2.tenantId } });
      expect(await read(n.cityA1.admin, reports.sibling.reportId)).toBeNull();
    });

    it.each(['999999', '2147483647'])('a forged id %p in range is null, like a sibling’s', async (id) => {
      expect(await read(n.provA.admin, id)).toBeNull();
    });

    it.each(['0', '-1', 'abc', '1 OR 1=1', '2147483648'])('a forged id %p out of range is BAD_USER_INPUT and null', async (id) => {
      const r = await n.provA.admin.request(REPORT, { id });
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(r.data?.report ?? null).toBeNull();
    });

    it('nobody outside the owning tenant writes it: a sibling, a child, another province NOT_FOUND; the parent edits and submits nothing', async () => {
      const section = 'mutation($id: ID!) { updateReportSection(input: { reportId: $id, key: "lessons", body: "改" }) { id } }';
      const submit = 'mutation($id: ID!) { submitReport(input: { id: $id, acknowledgeMissing: true }) { id } }';
      const accept = 'mutation($id: ID!) { acceptReport(id: $id) { id } }';
      const ret = 'mutation($id: ID!) { returnReport(input: { id: $id, reason: "退回" }) { id } }';
      const generate = 'mutation($id: ID!) { generateReport(campaignId: $id) { id } }';
      for (const who of ['cityA2', 'districtA1', 'provB'] as const) {
        expect(codeOf(await n[who].admin.request(section, { id: reports.DRAFT.reportId }))).toBe('NOT_FOUND');
        expect(codeOf(await n[who].admin.request(submit, { id: reports.DRAFT.reportId }))).toBe('NOT_FOUND');
        expect(codeOf(await n[who].admin.request(accept, { id: reports.SUBMITTED.reportId }))).toBe('NOT_FOUND');
        expect(codeOf(await n[who].admin.request(ret, { id: reports.SUBMITTED.reportId }))).toBe('NOT_FOUND');
      }
      // the campaign's own tenant writes its report: a sibling does not see the campaign, a child sees its parent's published directive
      expect(codeOf(await n.cityA2.admin.request(generate, { id: reports.DRAFT.campaignId }))).toBe('NOT_FOUND');
      expect(codeOf(await n.provB.admin.request(generate, { id: reports.DRAFT.campaignId }))).toBe('NOT_FOUND');
      expect(codeOf(await n.districtA1.admin.request(generate, { id: reports.DRAFT.campaignId }))).toBe('FORBIDDEN');
      expect(codeOf(await n.provA.admin.request(section, { id: reports.RETURNED.reportId }))).toBe('FORBIDDEN');
      expect(codeOf(await n.provA.admin.request(section, { id: reports.DRAFT.reportId }))).toBe('NOT_FOUND');
      expect(codeOf(await n.provA.admin.request(submit, { id: reports.RETURNED.reportId }))).toBe('FORBIDDEN');
      for (const state of STATES) expect((await read(n.cityA1.admin, reports[state].reportId))!.status).toBe(state);
    });

    it('a download URL serves its own report only: another report’s id inside its token is 404', async () => {
      const { report } = await n.cityA1.admin.run('query($id: ID!) { report(id: $id) { downloadUrl } }', { id: reports.SUBMITTED.reportId });
      const url = new URL(report.downloadUrl, gatewayUrl);
      expect((await fetch(url)).status).toBe(200);
      const [body, mac] = url.pathname.split('/').pop()!.split('.');
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      expect(claims.r).toBe(Number(reports.SUBMITTED.reportId));
      // the same reader may read the ACCEPTED report too: only the token's own report is served
      for (const other of [reports.ACCEPTED.reportId, reports.sibling.reportId]) {
        const swapped = Buffer.from(JSON.stringify({ ...claims, r: Number(other) })).toString('base64url');
        const res = await fetch(new URL(`/reports/download/${swapped}.${mac}`, gatewayUrl));
        expect(res.status).toBe(404);
        expect((await res.json()).errors[0].extensions.code).toBe('NOT_FOUND');
      }
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

  const reportsUrl = () => t.platform.services.find((s) => s.name === 'reports')!.url;
  const reportEntities = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Report { id status title } } }';
  const claimsOf = async (key: TreeKey) => {
    const path = (await t.platform.services[0].dataSource.query('SELECT tenant_path FROM tenants WHERE id = ?', [Number(n[key].tenantId)]))[0].tenant_path as string;
    return { userId: '1', tenantId: n[key].tenantId, tenantPath: path, role: 'ADMIN' as const, root: false };
  };
  const reportsOf = (ids: string[]) => ({ query: reportEntities, variables: { r: ids.map((id) => ({ __typename: 'Report', id })) } });
  async function signedReports(key: TreeKey, ids: string[]) {
    const body = reportsOf(ids);
    const res = await fetch(reportsUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [INTERNAL_CONTEXT_HEADER]: signInternalContext(await claimsOf(key), t.config.INTERNAL_SECRET!, JSON.stringify(body)) },
      body: JSON.stringify(body),
    });
    return (await res.json()) as any;
  }

  it('_entities of Report through a validly signed context answers null for a sibling, a child, another province, and the parent’s DRAFT', async () => {
    const ids = STATES.map((state) => httpReports[state].reportId);
    for (const who of ['cityA2', 'districtA1', 'provB'] as const) {
      const r = await signedReports(who, ids);
      expect(r.data._entities).toEqual([null, null, null, null]);
      expect(JSON.stringify(r)).not.toContain(httpReports.DRAFT.title);
    }
    const parent = await signedReports('provA', ids);
    expect(parent.data._entities.map((e: any) => e?.status ?? null)).toEqual([null, 'SUBMITTED', 'RETURNED', 'ACCEPTED']);
    const owner = await signedReports('cityA1', ids);
    expect(owner.data._entities.map((e: any) => e?.status ?? null)).toEqual([...STATES]);
  });

  it('_entities of Report needs the gateway’s signature like every subgraph call', async () => {
    const res = await fetch(reportsUrl(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(reportsOf([httpReports.SUBMITTED.reportId])) });
    expect(res.status).toBe(401);
    expect(JSON.stringify(await res.json())).not.toContain(httpReports.SUBMITTED.title);
  });

  it('the download route applies the visibility rule to the scope its token was made for', async () => {
    // tokens signed with the real key: only the rule stands between them and the report
    const key = capabilityKey(t.config.INTERNAL_SECRET!, 'report downloads');
    const token = async (who: TreeKey, reportId: string) => {
      const c = await claimsOf(who);
      return signCapability({ r: Number(reportId), t: Number(c.tenantId), p: c.tenantPath, u: '1', exp: Math.floor(Date.now() / 1000) + 60 }, key);
    };
    const get = async (who: TreeKey, reportId: string) => (await fetch(new URL(`/reports/download/${await token(who, reportId)}`, t.platform.gateway.url))).status;
    expect(await get('cityA1', httpReports.DRAFT.reportId)).toBe(200);
    expect(await get('provA', httpReports.SUBMITTED.reportId)).toBe(200);
    expect(await get('provA', httpReports.DRAFT.reportId)).toBe(404);
    for (const who of ['cityA2', 'districtA1', 'provB'] as const) expect(await get(who, httpReports.SUBMITTED.reportId)).toBe(404);
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
