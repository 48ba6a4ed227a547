import { buildSchema, GraphQLError, parse } from 'graphql';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ScreenClaim } from '../services/kernel/src/context';
import { checkScreenOperation } from '../services/kernel/src/screen-rules';

/**
 * The screen guard on its own (the gateway and every subgraph run it; screen.e2e shows it
 * through the platform): a screen link's claim reads and subscribes to its one target only,
 * and only what a screen shows. Checked against the public schema, as the gateway does.
 */
const schema = buildSchema(readFileSync(path.resolve(__dirname, '../schema/public.graphql'), 'utf8'));
const activityScreen: ScreenClaim = { linkId: '5', activityId: '12', tenantId: null, campaignId: null };
const boardScreen: ScreenClaim = { linkId: '6', activityId: null, tenantId: '3', campaignId: '40' };

function check(screen: ScreenClaim, query: string, variables: Record<string, unknown> = {}, operationName?: string, where: 'gateway' | 'subgraph' = 'gateway'): string | null {
  const refused = checkScreenOperation(screen, parse(query), operationName, variables, schema, where);
  if (refused) {
    expect(refused).toBeInstanceOf(GraphQLError);
    expect(refused.extensions.code).toBe('FORBIDDEN');
  }
  return refused?.message ?? null;
}

describe('an activity screen', () => {
  it('reads and follows its own activity, by literal or variable', () => {
    expect(check(activityScreen, '{ activity(id: "12") { title statistics { indicator value approximate } targets { indicator value } } }')).toBeNull();
    expect(check(activityScreen, 'query($a: ID!) { feed(activityId: $a, first: 5) { edges { node { text postedAt author { name } } } pageInfo { hasNextPage endCursor } } }', { a: '12' })).toBeNull();
    expect(check(activityScreen, 'subscription($a: ID!) { statisticChanged(activityId: $a) { value indicator } }', { a: 12 })).toBeNull();
    expect(check(activityScreen, 'subscription { feedEntryAdded(activityId: "12") { text } }')).toBeNull();
    expect(check(activityScreen, '{ __typename }')).toBeNull();
  });

  it('refuses another activity, a missing or non-scalar argument, and any other root field', () => {
    expect(check(activityScreen, '{ activity(id: "13") { title } }')).toMatch(/activity is outside this screen's target/);
    expect(check(activityScreen, 'query($a: ID!) { activity(id: $a) { title } }', {})).toMatch(/outside/);
    expect(check(activityScreen, 'query($a: ID!) { activity(id: $a) { title } }', { a: null })).toMatch(/outside/);
    expect(check(activityScreen, '{ rollup(tenantId: "3", campaignId: "40") { id } }')).toMatch(/rollup is outside/);
    expect(check(activityScreen, '{ me { id } }')).toMatch(/me is outside/);
  });

  it('refuses every mutation, even one about its own activity', () => {
    expect(check(activityScreen, 'mutation { incrementStatistic(input: { activityId: "12", indicator: SIGNATURES, by: 1 }) { value } }')).toMatch(/read-only/);
  });

  it('refuses fragments at the root, and checks the operation named, not the first', () => {
    expect(check(activityScreen, 'query { ...F } fragment F on Query { activity(id: "12") { id } }')).toMatch(/fragments/);
    const two = 'query Mine { activity(id: "12") { id } } query Other { activity(id: "99") { id } }';
    expect(check(activityScreen, two, {}, 'Mine')).toBeNull();
    expect(check(activityScreen, two, {}, 'Other')).toMatch(/outside/);
    expect(check(activityScreen, two, {}, 'Missing')).toMatch(/no operation/);
  });

  it('below the root, only what a screen shows: no way to the tenant’s people, units or e-mail', () => {
    expect(check(activityScreen, '{ activity(id: "12") { leadUnit { name } } }')).toBeNull();
    expect(check(activityScreen, '{ activity(id: "12") { leadUnit { name tenant { name } } } }')).toMatch(/Unit.tenant is not shown on a screen/);
    expect(check(activityScreen, '{ activity(id: "12") { campaign { tenant { name } } } }')).toMatch(/Campaign.tenant/);
    expect(check(activityScreen, '{ feed(activityId: "12") { edges { node { author { email } } } } }')).toMatch(/User.email/);
  });

  it('in a subgraph, _entities only for the types a screen shows and its own activity and link', () => {
    const entities = 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }';
    const sub = (representations: unknown) => checkScreenOperation(activityScreen, parse(entities), undefined, { r: representations }, undefined, 'subgraph');
    expect(sub([{ __typename: 'Activity', id: '12' }, { __typename: 'Unit', id: '1' }, { __typename: 'ScreenLink', id: '5' }])).toBeNull();
    expect(sub([{ __typename: 'Activity', id: '13' }])?.message).toMatch(/_entities/);
    expect(sub([{ __typename: 'ScreenLink', id: '6' }])?.message).toMatch(/_entities/);
    expect(sub([{ __typename: 'Person', id: '1' }])?.message).toMatch(/_entities/);
    expect(sub('not a list')?.message).toMatch(/_entities/);
    expect(sub([null])?.message).toMatch(/_entities/);
  });
});

describe('a roll-up board', () => {
  it('reads and follows its own tenant and campaign only', () => {
    expect(check(boardScreen, '{ rollup(tenantId: "3", campaignId: "40") { totals { indicator value approximate } children { tenant { name } } } }')).toBeNull();
    expect(check(boardScreen, 'subscription($t: ID!, $c: ID) { rollupChanged(tenantId: $t, campaignId: $c) { id } }', { t: '3', c: '40' })).toBeNull();
    expect(check(boardScreen, '{ rollup(tenantId: "3") { id } }')).toMatch(/outside/); // campaign left out: another roll-up
    expect(check(boardScreen, '{ rollup(tenantId: "4", campaignId: "40") { id } }')).toMatch(/outside/);
    expect(check(boardScreen, '{ activity(id: "12") { id } }')).toMatch(/outside/);
  });

  it('may read its campaign’s reporting states, never a report', () => {
    expect(check(boardScreen, '{ rollup(tenantId: "3", campaignId: "40") { campaign { reporting { tenant { name } state late } } } }')).toBeNull();
    expect(check(boardScreen, '{ rollup(tenantId: "3", campaignId: "40") { campaign { reporting { report { id } } } } }')).toMatch(/ReportingEntry.report/);
  });
});
