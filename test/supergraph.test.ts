import { composeFromSource, PUBLIC_SCHEMA_FILE, SUPERGRAPH_FILE } from '@cascade/app';
import { buildSchema, GraphQLObjectType, GraphQLSchema } from 'graphql';
import { readFileSync } from 'node:fs';

/**
 * The committed schema/supergraph.graphql and schema/public.graphql are what the subgraphs
 * compose to today (`npm run schema` rewrites both).
 */
let fresh: Awaited<ReturnType<typeof composeFromSource>>;
beforeAll(async () => {
  fresh = await composeFromSource();
});

it('schema/supergraph.graphql equals a fresh composition (run `npm run schema` when it differs)', () => {
  expect(readFileSync(SUPERGRAPH_FILE, 'utf8')).toBe(fresh.supergraphSdl);
});

it('schema/public.graphql equals a fresh composition’s public API (run `npm run schema` when it differs)', () => {
  expect(readFileSync(PUBLIC_SCHEMA_FILE, 'utf8')).toBe(fresh.publicSdl);
});

describe('the public schema', () => {
  let schema: GraphQLSchema;
  beforeAll(() => {
    schema = buildSchema(readFileSync(PUBLIC_SCHEMA_FILE, 'utf8'));
  });
  const fieldsOf = (type: string) => Object.keys((schema.getType(type) as GraphQLObjectType).getFields());

  it('carries the types and root fields frontend teams rely on', () => {
    for (const type of ['Tenant', 'User', 'Unit', 'Person', 'Committee', 'CommitteeMember', 'AuthPayload', 'TenantLevel', 'Role', 'PageInfo']) {
      expect(schema.getType(type)).toBeDefined();
    }
    // field names, not text: `me:` would also match inside `name:`
    expect(fieldsOf('Query')).toEqual(expect.arrayContaining(['me', 'tenant', 'tenants']));
    expect(fieldsOf('Mutation')).toEqual(expect.arrayContaining(['signIn', 'createTenant', 'createUser', 'createUnit', 'createPerson', 'createCommittee', 'addCommitteeMember']));
    expect(fieldsOf('PageInfo')).toEqual(['hasNextPage', 'endCursor', 'hasPreviousPage', 'startCursor']);
  });

  it('holds nothing marked @inaccessible in the supergraph', () => {
    expect(fieldsOf('Mutation')).not.toContain('setStatisticsLock');
    expect(fieldsOf('User')).not.toContain('tokenVersion');
    expect(fresh.publicSdl).not.toMatch(/@inaccessible|join__|link__/);
  });
});
