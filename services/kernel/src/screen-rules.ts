import { DocumentNode, GraphQLError, GraphQLSchema, Kind, OperationDefinitionNode, TypeInfo, ValueNode, valueFromASTUntyped, visit, visitWithTypeInfo } from 'graphql';
import { ScreenClaim } from './context';

/**
 * A screen link's claim may read and subscribe to its one target only, at the gateway (on the
 * client's operation) and again in every subgraph (on what reaches it, so a signed screen context
 * used around the gateway gains nothing). Checked on the operation's root fields and arguments
 * (variables substituted):
 * - an activity: activity(id), feed(activityId), statisticChanged(activityId), feedEntryAdded(activityId);
 * - a tenant's roll-up: rollup(tenantId, campaignId), rollupChanged(tenantId, campaignId);
 * - in a subgraph also `_entities`, the gateway's fetches of what a screen shows: only the types of
 *   SCREEN_FIELDS, the Activity only as the screen's activity, the ScreenLink only as its own link.
 * Below the root only what a screen shows may be selected (SCREEN_FIELDS): no way from the
 * target to the tenant's people, units, committees, other campaigns or e-mail addresses.
 * No mutation, ever. Returns null when allowed, or the FORBIDDEN error to answer.
 */
export function checkScreenOperation(
  screen: ScreenClaim,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  schema?: GraphQLSchema,
  where: 'gateway' | 'subgraph' = 'gateway',
): GraphQLError | null {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  const refuse = (why: string) => new GraphQLError(`A screen link cannot run this operation: ${why}`, { extensions: { code: 'FORBIDDEN' } });
  if (!operation) return refuse('no operation');
  if (operation.operation === 'mutation') return refuse('screens are read-only');
  const value = (node: ValueNode | undefined): string | null => {
    if (!node || node.kind === Kind.NULL) return null;
    if (node.kind === Kind.VARIABLE) {
      const v = variables?.[node.name.value];
      return v === null || v === undefined ? null : String(v);
    }
    if (node.kind === Kind.STRING || node.kind === Kind.INT) return node.value;
    return '\u0000'; // anything else never matches a target
  };
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) return refuse('fragments are not allowed at the root');
    const field = selection.name.value;
    if (field === '__typename') continue;
    const argument = (name: string) => selection.arguments?.find((a) => a.name.value === name)?.value;
    const arg = (name: string) => value(argument(name));
    const allowed =
      field === '_entities'
        ? entitiesAllowed(screen, argument('representations') ? valueFromASTUntyped(argument('representations')!, variables ?? {}) : null)
        : screen.activityId
          ? (field === 'activity' && arg('id') === screen.activityId) ||
            (['feed', 'statisticChanged', 'feedEntryAdded'].includes(field) && arg('activityId') === screen.activityId)
          : ['rollup', 'rollupChanged'].includes(field) && arg('tenantId') === screen.tenantId && arg('campaignId') === screen.campaignId;
    if (!allowed) return refuse(`${field} is outside this screen's target`);
  }
  if (schema) {
    const outside = fieldOutsideScreen(schema, document, where === 'subgraph' ? SUBGRAPH_FIELDS : SCREEN_FIELDS);
    if (outside) return refuse(`${outside} is not shown on a screen`);
  }
  return null;
}

/** Per type, the fields a screen may select below its root field. */
const SCREEN_FIELDS: Record<string, string[]> = {
  // targets: an activity's progress toward them (已签名 326 / 目标 10000)
  Activity: ['id', 'title', 'kind', 'startsAt', 'endsAt', 'location', 'leadUnit', 'supportingUnits', 'statistics', 'targets', 'campaign'],
  IndicatorTarget: ['indicator', 'value'],
  // reporting: a roll-up board marks each direct child 已报送/未报送; reports answers a screen with
  // the states for its own board only, and never the report (services/reports/src/services/reporting.ts)
  Campaign: ['id', 'title', 'theme', 'startsOn', 'endsOn', 'status', 'focusPoints', 'reporting'],
  ReportingEntry: ['tenant', 'state', 'submittedAt', 'late'],
  Unit: ['id', 'name'],
  Statistic: ['id', 'indicator', 'value', 'approximate', 'activity'],
  FeedEntry: ['id', 'text', 'postedAt', 'author', 'activity'],
  FeedEntryConnection: ['edges', 'pageInfo', 'totalCount'],
  FeedEntryEdge: ['node', 'cursor'],
  PageInfo: ['hasNextPage', 'endCursor', 'hasPreviousPage', 'startCursor'],
  User: ['id', 'name'],
  Rollup: ['id', 'tenant', 'campaign', 'totals', 'children'],
  IndicatorTotal: ['indicator', 'value', 'approximate'],
  Tenant: ['id', 'name', 'code', 'level'],
  // the gateway asks whether the link is still active (screen-links.ts), as the screen itself
  ScreenLink: ['id', 'revoked', 'expiresAt'],
};

/**
 * In a subgraph, also what the services' own lookups (fetchEntities) select with the caller's
 * claims: feeds asks campaigns for an activity's tenant to decide access, campaigns asks org
 * for a roll-up's child tenants, reports asks campaigns (through the board's own rollup) for the
 * board's campaign, its due date up the chain and the campaigns implementing it, to tell each
 * child's reporting state.
 */
const SUBGRAPH_FIELDS: Record<string, string[]> = {
  ...SCREEN_FIELDS,
  // feeds reads each statistic's version with a screen's first events (not public: @inaccessible)
  Statistic: [...SCREEN_FIELDS.Statistic, 'version'],
  Activity: [...SCREEN_FIELDS.Activity, 'tenant'],
  Campaign: [...SCREEN_FIELDS.Campaign, 'tenant', 'reportDueOn', 'implements', 'implementations'],
  Tenant: [...SCREEN_FIELDS.Tenant, 'childIds'],
};

/** `_entities` representations a screen's claim may resolve (see checkScreenOperation). */
function entitiesAllowed(screen: ScreenClaim, representations: unknown): boolean {
  if (!Array.isArray(representations)) return false;
  return representations.every((r) => {
    const { __typename: type, id } = (r ?? {}) as { __typename?: unknown; id?: unknown };
    if (typeof type !== 'string' || !SCREEN_FIELDS[type]) return false;
    if (type === 'Activity') return screen.activityId !== null && String(id) === screen.activityId;
    if (type === 'ScreenLink') return String(id) === screen.linkId;
    return true;
  });
}

function fieldOutsideScreen(schema: GraphQLSchema, document: DocumentNode, allowed: Record<string, string[]>): string | null {
  const typeInfo = new TypeInfo(schema);
  let outside: string | null = null;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType()?.name;
        if (!parent || node.name.value === '__typename' || ['Query', 'Subscription', 'Mutation'].includes(parent)) return;
        if (!allowed[parent]?.includes(node.name.value)) outside ??= `${parent}.${node.name.value}`;
      },
    }),
  );
  return outside;
}
