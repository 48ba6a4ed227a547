import { composeFromSource, SUPERGRAPH_FILE } from '@cascade/app';
import { readFileSync } from 'node:fs';

/** The committed schema/supergraph.graphql is what the subgraphs compose to today. */
it('schema/supergraph.graphql equals a fresh composition (run `npm run compose` when it differs)', async () => {
  const fresh = await composeFromSource();
  expect(readFileSync(SUPERGRAPH_FILE, 'utf8')).toBe(fresh);
});

it('the supergraph carries the public names frontend teams rely on', async () => {
  const sdl = readFileSync(SUPERGRAPH_FILE, 'utf8');
  for (const name of ['type Tenant', 'type User', 'type Unit', 'type Person', 'type Committee', 'type CommitteeMember', 'type AuthPayload', 'enum TenantLevel', 'enum Role']) {
    expect(sdl).toContain(name);
  }
  for (const field of ['me:', 'tenant(', 'tenants(', 'signIn(', 'createTenant(', 'createUser(', 'createUnit(', 'createPerson(', 'createCommittee(', 'addCommitteeMember(']) {
    expect(sdl).toContain(field);
  }
});
