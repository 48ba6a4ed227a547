import { issueToken } from '@cascade/kernel';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childEnv, ENTRY, freePort, freePortRun, spawnNode, Spawned } from './helpers/spawned';

/**
 * Issue 10, item 4: `NODE_ENV=production` ran on published defaults — root signed in with
 * `cascade-root`, the demo admins with `cascade-demo`, and a root token forged with
 * docker-compose's default JWT_SECRET created a tenant. Production now refuses such a start
 * with one line naming the variable. These run the built entry points (`npx tsc -b` first).
 */
const COMPOSE_JWT_SECRET = 'insecure-dev-jwt-secret-change-me'; // docker-compose.yml's default until issue 10
const OWN = {
  NODE_ENV: 'production',
  JWT_SECRET: 'operator-jwt-secret-5f1c0e9a7b',
  INTERNAL_SECRET: 'operator-internal-secret-2d8e4a6c1f',
  ROOT_ADMIN_PASSWORD: 'operator root passphrase 7c3b',
};

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'cascade-production-'));
}

/** Each variable left unset, at a published value, or DEMO_DATA=true: the refusal names it. */
const REFUSED: [string, Record<string, string | undefined>, string][] = [
  ['unset ROOT_ADMIN_PASSWORD', { ROOT_ADMIN_PASSWORD: undefined }, 'ROOT_ADMIN_PASSWORD'],
  ['ROOT_ADMIN_PASSWORD=cascade-root', { ROOT_ADMIN_PASSWORD: 'cascade-root' }, 'ROOT_ADMIN_PASSWORD'],
  ['unset JWT_SECRET', { JWT_SECRET: undefined }, 'JWT_SECRET'],
  ["docker-compose's default JWT_SECRET", { JWT_SECRET: COMPOSE_JWT_SECRET }, 'JWT_SECRET'],
  ['unset INTERNAL_SECRET', { INTERNAL_SECRET: undefined }, 'INTERNAL_SECRET'],
  ["docker-compose's default INTERNAL_SECRET", { INTERNAL_SECRET: 'insecure-dev-internal-secret-change-me' }, 'INTERNAL_SECRET'],
  ['DEMO_DATA=true', { DEMO_DATA: 'true' }, 'DEMO_DATA'],
];

describe.each([
  ['embedded', ENTRY.embedded],
  ['gateway', ENTRY.gateway],
  ['org service', ENTRY.org],
])('production refuses to start: %s', (_name, entry) => {
  it.each(REFUSED)('with %s: one line naming the variable, exit code ≠ 0, nothing written', async (_case, change, variable) => {
    const dataDir = tempDir();
    const env: Record<string, string> = { DATA_DIR: dataDir, PORT: String(await freePort()), SUBGRAPH_PORTS: String(await freePortRun(4)) };
    for (const [key, value] of Object.entries({ ...OWN, ...change })) if (value !== undefined) env[key] = value;
    const spawned = spawnNode(entry, childEnv(env));
    try {
      // a start that goes on instead (as before issue 10) fails here rather than hanging the test
      const started = spawned.waitFor(/is ready|listening/).then(() => Promise.reject(new Error(`started:\n${spawned.stdout()}`)), () => undefined);
      const exit = await Promise.race([spawned.exited, started as Promise<never>]);
      expect(exit.code).not.toBe(0);
      expect(exit.code).not.toBeNull();
      const lines = spawned.stderr().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
      expect(spawned.stdout()).toBe('');
      expect(readdirSync(dataDir)).toEqual([]);
    } finally {
      spawned.child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('production with secrets of its own', () => {
  let spawned: Spawned;
  let dataDir: string;
  let url: string;
  const graphql = async (query: string, token?: string) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query }) });
    return (await res.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] };
  };
  const signIn = (email: string, password: string) => graphql(`mutation { signIn(email: ${JSON.stringify(email)}, password: ${JSON.stringify(password)}) { token } }`);

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}/graphql`;
    spawned = spawnNode(ENTRY.embedded, childEnv({ ...OWN, DATA_DIR: (dataDir = tempDir()), PORT: String(port), SUBGRAPH_PORTS: String(await freePortRun(4)), DEMO_DATA: '' }));
    await spawned.waitFor(/Cascade is ready/);
  }, 60000);
  afterAll(async () => {
    if (spawned.child.exitCode === null) spawned.child.kill('SIGTERM');
    expect(await spawned.exited).toEqual({ code: 0, signal: null });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('never prints the root password, and loads no demo data', () => {
    const output = spawned.stdout() + spawned.stderr();
    expect(output).not.toContain(OWN.ROOT_ADMIN_PASSWORD);
    expect(output).not.toContain('cascade-root');
    expect(output).not.toContain('cascade-demo');
    expect(output).toMatch(/demo data\s+not loaded/);
  });

  it('signs root in with its own password only, and no demo admin exists', async () => {
    expect((await signIn('root@cascade.local', OWN.ROOT_ADMIN_PASSWORD)).data?.signIn.token).toEqual(expect.any(String));
    expect((await signIn('root@cascade.local', 'cascade-root')).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await signIn('admin@bashi.demo', 'cascade-demo')).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it("answers a root token forged with docker-compose's old JWT_SECRET UNAUTHENTICATED, and writes nothing", async () => {
    const claims = { userId: 'root', tenantId: null, tenantPath: null, role: 'ADMIN' as const, root: true };
    const create = 'mutation { createTenant(input: { name: "Forged", level: NATIONAL }) { id } }';
    const forged = await graphql(create, await issueToken(claims, COMPOSE_JWT_SECRET, 600));
    expect(forged.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    // positive control: the same operation with the root's real sign-in works, and sees no forged tenant
    const token = (await signIn('root@cascade.local', OWN.ROOT_ADMIN_PASSWORD)).data.signIn.token;
    const tenants = await graphql('{ tenants(first: 100) { edges { node { name } } } }', token);
    expect(tenants.data.tenants.edges.map((e: any) => e.node.name)).not.toContain('Forged');
  });
});
