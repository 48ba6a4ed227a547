import { GraphQLClient } from '@cascade/app';
import { parseConfig } from '@cascade/kernel';
import { codeOf, PASSWORD, startTestPlatform, TestPlatform } from './helpers/platform';
import { buildTree, TreeKey, TreeNode } from './helpers/tree';
import { rawSocket } from './helpers/ws';

/**
 * Ending sign-in tokens (issue 10 item 6): signOut, revokeUserTokens, a new role and removal
 * end a user's tokens at the gateway, over HTTP (UNAUTHENTICATED) and WebSocket (4403). The
 * gateway remembers a user's status for TOKEN_STATUS_CACHE_SECONDS (1 s here): each test polls
 * until the token is refused — the positive event — within a generous bound.
 */
let t: TestPlatform;
let n: Record<TreeKey, TreeNode>;
let seq = 0;
beforeAll(async () => {
  t = await startTestPlatform('tokrev', { TOKEN_STATUS_CACHE_SECONDS: '1' });
  n = await buildTree(t);
});
afterAll(async () => {
  await t?.stop();
});

const ME = '{ me { id role } }';
const REFUSAL_BOUND_MS = 15_000;

/** A fresh user of a tenant, created by that tenant's admin, and a client signed in as it. */
async function newUser(key: TreeKey, role = 'EDITOR'): Promise<{ id: string; email: string; client: GraphQLClient }> {
  const email = `user${++seq}@${key}.revocation.test`;
  const created = await n[key].admin.run('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
    i: { tenantId: n[key].tenantId, email, name: `用户${seq}`, password: PASSWORD, role },
  });
  return { id: created.createUser.id, email, client: await t.signIn(email) };
}

/** Polls `me` until the token is refused; fails after the bound. */
async function untilRefused(client: GraphQLClient): Promise<void> {
  const started = Date.now();
  for (;;) {
    const answer = await client.request(ME);
    if (codeOf(answer) === 'UNAUTHENTICATED') return;
    if (Date.now() - started > REFUSAL_BOUND_MS) throw new Error(`still accepted after ${REFUSAL_BOUND_MS} ms: ${JSON.stringify(answer)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('signOut', () => {
  it('ends every token of the caller, not another user’s; signing in again works', async () => {
    const user = await newUser('cityA1');
    const secondDevice = await t.signIn(user.email);
    const other = await newUser('cityA1');
    expect((await user.client.run(ME)).me.id).toBe(user.id);

    expect(await user.client.run('mutation { signOut }')).toEqual({ signOut: true });
    await untilRefused(user.client);
    await untilRefused(secondDevice);
    const refused = await user.client.request(ME);
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect((await other.client.run(ME)).me.id).toBe(other.id);

    const again = await t.signIn(user.email);
    expect((await again.run(ME)).me.id).toBe(user.id);
  });

  it('without a token answers UNAUTHENTICATED', async () => {
    expect(codeOf(await t.gql.request('mutation { signOut }'))).toBe('UNAUTHENTICATED');
  });

  it("root's token has no version to raise: FORBIDDEN, saying how it ends", async () => {
    const answer = await t.root.request('mutation { signOut }');
    expect(codeOf(answer)).toBe('FORBIDDEN');
    expect(answer.errors?.[0].message).toMatch(/expire|JWT_SECRET/);
    expect((await t.root.run(ME)).me.id).toBe('0');
  });
});

describe('TOKEN_STATUS_CACHE_SECONDS', () => {
  it('defaults to 30 (a minute bounds the loss of access: 30 s cached + a re-check of open sockets every 15 s)', () => {
    expect(parseConfig({}).TOKEN_STATUS_CACHE_SECONDS).toBe(30);
    expect(() => parseConfig({ TOKEN_STATUS_CACHE_SECONDS: '61' })).toThrow(/TOKEN_STATUS_CACHE_SECONDS/);
  });
});

describe('revokeUserTokens', () => {
  it("an admin of the user's tenant ends its sessions", async () => {
    const user = await newUser('cityA1');
    expect(await n.cityA1.admin.run('mutation($u: ID!) { revokeUserTokens(userId: $u) { id } }', { u: user.id })).toEqual({
      revokeUserTokens: { id: user.id },
    });
    await untilRefused(user.client);
  });

  it.each([
    ['parent', 'provA'],
    ['grandparent', 'nation'],
  ] as const)("an admin of an ancestor (%s) ends a descendant user's sessions", async (_label, admin) => {
    const user = await newUser('districtA1');
    await n[admin].admin.run('mutation($u: ID!) { revokeUserTokens(userId: $u) { id } }', { u: user.id });
    await untilRefused(user.client);
  });

  it('root ends any user’s sessions', async () => {
    const user = await newUser('provB');
    await t.root.run('mutation($u: ID!) { revokeUserTokens(userId: $u) { id } }', { u: user.id });
    await untilRefused(user.client);
  });
});

const ADMIN_WRITES = [
  ['revokeUserTokens', 'mutation($id: ID!) { revokeUserTokens(userId: $id) { id } }'],
  ['updateUser', 'mutation($id: ID!) { updateUser(input: { id: $id, role: VIEWER }) { id } }'],
  ['removeUser', 'mutation($id: ID!) { removeUser(id: $id) }'],
] as const;

describe.each(ADMIN_WRITES)('%s across tenants', (_name, mutation) => {
  it.each([
    ['sibling', 'cityA2', 'cityA1'],
    ['child (on its parent)', 'districtA1', 'cityA1'],
    ['sibling province', 'provB', 'cityA1'],
  ] as const)('a %s admin answers NOT_FOUND and changes nothing', async (_label, admin, owner) => {
    const user = await newUser(owner);
    expect(codeOf(await n[admin].admin.request(mutation, { id: user.id }))).toBe('NOT_FOUND');
    // the user's own tenant's audit trail has the creation and sign-in, and nothing else
    const log = await n[owner].admin.run('query($id: ID!) { auditLog(entityType: "User", entityId: $id) { edges { node { action } } } }', { id: user.id });
    expect(log.auditLog.edges.map((e: any) => e.node.action)).toEqual(['SIGN_IN', 'CREATE']);
    expect((await user.client.run(ME)).me).toEqual({ id: user.id, role: 'EDITOR' });
  });

  it.each(['999999', '2147483647'])('a forged id %p answers NOT_FOUND', async (id) => {
    expect(codeOf(await n.cityA1.admin.request(mutation, { id }))).toBe('NOT_FOUND');
  });

  it.each(['abc', '0', '-1'])('a malformed id %p answers BAD_USER_INPUT', async (id) => {
    expect(codeOf(await n.cityA1.admin.request(mutation, { id }))).toBe('BAD_USER_INPUT');
  });

  it('an editor of the same tenant answers FORBIDDEN', async () => {
    const editor = await newUser('cityA1');
    const target = await newUser('cityA1');
    expect(codeOf(await editor.client.request(mutation, { id: target.id }))).toBe('FORBIDDEN');
  });
});

describe('updateUser', () => {
  it('a new role ends the old tokens; the name alone does not; the next sign-in carries the new role', async () => {
    const user = await newUser('cityA1', 'ADMIN');
    const renamed = await n.provA.admin.run('mutation($id: ID!) { updateUser(input: { id: $id, name: "改名" }) { id name role } }', { id: user.id });
    expect(renamed.updateUser).toEqual({ id: user.id, name: '改名', role: 'ADMIN' });

    const demoted = await n.provA.admin.run('mutation($id: ID!) { updateUser(input: { id: $id, role: VIEWER }) { role } }', { id: user.id });
    expect(demoted.updateUser.role).toBe('VIEWER');
    await untilRefused(user.client);

    const again = await t.signIn(user.email);
    expect((await again.run(ME)).me.role).toBe('VIEWER');
    expect(codeOf(await again.request('mutation { createUnit(input: { name: "无权" }) { id } }'))).toBe('FORBIDDEN');
  });

  it('a bad name answers BAD_USER_INPUT and changes nothing', async () => {
    const user = await newUser('cityA1');
    expect(codeOf(await n.cityA1.admin.request('mutation($id: ID!) { updateUser(input: { id: $id, name: "  " }) { id } }', { id: user.id }))).toBe('BAD_USER_INPUT');
    expect((await user.client.run(ME)).me.role).toBe('EDITOR');
  });
});

describe('removeUser', () => {
  it('ends the tokens and the sign-in of the user; its email stays taken', async () => {
    const user = await newUser('districtA1');
    expect(await n.cityA1.admin.run('mutation($id: ID!) { removeUser(id: $id) }', { id: user.id })).toEqual({ removeUser: true });
    await untilRefused(user.client);
    expect(codeOf(await t.gql.request('mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }', { e: user.email, p: PASSWORD }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await n.cityA1.admin.request('mutation($id: ID!) { removeUser(id: $id) }', { id: user.id }))).toBe('NOT_FOUND');
    const reuse = await n.districtA1.admin.request('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
      i: { tenantId: n.districtA1.tenantId, email: user.email, name: '再来', password: PASSWORD, role: 'EDITOR' },
    });
    expect(codeOf(reuse)).toBe('CONFLICT');
  });

  it('an admin cannot remove itself', async () => {
    const admin = await newUser('cityA2', 'ADMIN');
    expect(codeOf(await admin.client.request('mutation($id: ID!) { removeUser(id: $id) }', { id: admin.id }))).toBe('BAD_USER_INPUT');
  });
});

describe('over WebSocket', () => {
  /** A signed-in socket (connection_ack received). */
  async function signedInSocket(token: string) {
    const s = await rawSocket(t.platform.gateway.url);
    s.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
    const started = Date.now();
    while (!s.messages.some((m) => m.type === 'connection_ack')) {
      if (Date.now() - started > 5000) throw new Error('no connection_ack');
      await new Promise((r) => setTimeout(r, 20));
    }
    return s;
  }

  it('an open subscription of a signed-out user closes with 4403', async () => {
    const user = await newUser('cityA1');
    const s = await signedInSocket(user.client.token!);
    s.send({ type: 'subscribe', id: 'r', payload: { query: 'subscription($t: ID!) { rollupChanged(tenantId: $t) { id } }', variables: { t: n.cityA1.tenantId } } });
    // the subscription runs (its first event is the current roll-up) before the sign-out
    const started = Date.now();
    while (!s.messages.some((m) => m.type === 'next' && m.id === 'r')) {
      if (Date.now() - started > 5000) throw new Error(`no first event: ${JSON.stringify(s.messages)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await user.client.run('mutation { signOut }');
    const closed = await Promise.race([
      s.closed,
      new Promise<never>((_r, reject) => setTimeout(() => reject(new Error('socket still open')), REFUSAL_BOUND_MS).unref()),
    ]);
    expect(closed.code).toBe(4403);
  });

  it('an operation on the socket of a demoted user is refused and closes it with 4403', async () => {
    const user = await newUser('cityA1', 'ADMIN');
    const s = await signedInSocket(user.client.token!);
    await n.cityA1.admin.run('mutation($id: ID!) { updateUser(input: { id: $id, role: EDITOR }) { id } }', { id: user.id });
    await untilRefused(user.client); // HTTP first: the gateway has seen the new role
    s.send({ type: 'subscribe', id: 'q', payload: { query: ME } });
    expect((await s.closed).code).toBe(4403);
    expect(s.messages.some((m) => m.type === 'next' && m.payload?.data?.me)).toBe(false);
  });
});
