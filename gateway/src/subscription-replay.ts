import { DocumentNode, ExecutionResult, FieldNode, getOperationAST, Kind, OperationDefinitionNode } from 'graphql';

/** Root fields whose latest payload per entity a late joiner receives at once (first events = current state). */
const REPLAYED_FIELDS = new Set(['statisticChanged', 'rollupChanged']);

/** The alias under which the gateway asks for the entity's id; a suffix is added if a client uses it. */
const ID_ALIAS = '_cascadeReplayId';

/**
 * How a shared subscription remembers its current state for late joiners. The state is one
 * payload per entity (a statistic, a roll-up), so it is keyed by the entity's id, whatever the
 * client selected: the upstream document asks for the id under an alias of the gateway's own,
 * and `identify` takes it out again before any subscriber sees the payload.
 */
export interface ReplayPlan {
  /** The document sent upstream (the client's, plus the aliased id). */
  document: DocumentNode;
  /** The payload as the client asked for it, and its replay key (null: not replayed). */
  identify(result: ExecutionResult): { key: string | null; result: ExecutionResult };
}

/** The plan for a subscription document, or null when its root field is not replayed. */
export function replayPlan(document: DocumentNode, operationName: string | null | undefined): ReplayPlan | null {
  const operation = getOperationAST(document, operationName);
  const [root] = operation?.selectionSet.selections ?? [];
  if (!operation || operation.selectionSet.selections.length !== 1 || root.kind !== Kind.FIELD) return null;
  if (!REPLAYED_FIELDS.has(root.name.value) || !root.selectionSet) return null;
  const responseKey = root.alias?.value ?? root.name.value;
  const taken = new Set(root.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? (s.alias?.value ?? s.name.value) : '')));
  let alias = ID_ALIAS;
  while (taken.has(alias)) alias += '_';
  const idField: FieldNode = { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: alias }, name: { kind: Kind.NAME, value: 'id' } };
  const rewritten: OperationDefinitionNode = {
    ...operation,
    selectionSet: {
      ...operation.selectionSet,
      selections: [{ ...root, selectionSet: { ...root.selectionSet, selections: [...root.selectionSet.selections, idField] } }],
    },
  };
  return {
    document: { ...document, definitions: document.definitions.map((d) => (d === operation ? rewritten : d)) },
    identify(result) {
      const payload = (result.data as Record<string, Record<string, unknown> | null> | null | undefined)?.[responseKey];
      if (!payload || typeof payload !== 'object') return { key: null, result };
      const { [alias]: id, ...asSelected } = payload;
      const key = id === undefined || id === null ? null : `${root.name.value}:${String(id)}`;
      return { key, result: { ...result, data: { ...result.data, [responseKey]: asSelected } } };
    },
  };
}
