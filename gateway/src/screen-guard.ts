import { ScreenClaim } from '@cascade/kernel';
import { DocumentNode, GraphQLError, Kind, OperationDefinitionNode, ValueNode } from 'graphql';

/**
 * A screen link's token may read and subscribe to its one target only. Checked on the
 * operation's root fields and their arguments (variables substituted):
 * - an activity: activity(id), feed(activityId), statisticChanged(activityId), feedEntryAdded(activityId);
 * - a tenant's roll-up: rollup(tenantId, campaignId), rollupChanged(tenantId, campaignId), tenant(id).
 * Returns null when allowed, or the error to answer.
 */
export function checkScreenOperation(
  screen: ScreenClaim,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
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
    const arg = (name: string) => value(selection.arguments?.find((a) => a.name.value === name)?.value);
    const allowed = screen.activityId
      ? (field === 'activity' && arg('id') === screen.activityId) ||
        (['feed', 'statisticChanged', 'feedEntryAdded'].includes(field) && arg('activityId') === screen.activityId)
      : (['rollup', 'rollupChanged'].includes(field) && arg('tenantId') === screen.tenantId && arg('campaignId') === screen.campaignId) ||
        (field === 'tenant' && arg('id') === screen.tenantId);
    if (!allowed) return refuse(`${field} is outside this screen's target`);
  }
  return null;
}
