import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { ExecutionResult, GraphQLError } from 'graphql';

/**
 * A subgraph's errors reach the client as the subgraph wrote them (message, path, code).
 * Errors arrive as plain JSON objects over graphql-ws, where a subscription the
 * subgraph refuses (NOT_FOUND, BAD_USER_INPUT) is one `next` with errors. The Rust query
 * planner passes them on as they came, and the runtime masks any error that is not a
 * GraphQLError as "Unexpected error." (INTERNAL_SERVER_ERROR): here each one becomes a
 * GraphQLError with the same message, path and extensions, before the planner sees it.
 */
export function subgraphErrorsPlugin(): GatewayPlugin {
  const asGraphQLError = (error: unknown): GraphQLError => {
    if (error instanceof GraphQLError) return error;
    const plain = (error ?? {}) as { message?: unknown; path?: unknown; extensions?: unknown };
    return new GraphQLError(typeof plain.message === 'string' ? plain.message : 'Subgraph error', {
      path: Array.isArray(plain.path) ? (plain.path as (string | number)[]) : undefined,
      extensions: plain.extensions && typeof plain.extensions === 'object' ? (plain.extensions as Record<string, unknown>) : undefined,
    });
  };
  const normalized = (result: ExecutionResult): ExecutionResult | null =>
    result.errors?.some((e) => !(e instanceof GraphQLError)) ? { ...result, errors: result.errors.map(asGraphQLError) } : null;
  return {
    onSubgraphExecute({ executionRequest }) {
      // over HTTP the transport already answers GraphQLErrors: only subscriptions (graphql-ws) need this
      if (executionRequest.operationType !== 'subscription') return undefined;
      return ({ result, setResult }) => {
        if (result && typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
          return {
            onNext({ result: next, setResult: setNext }) {
              const fixed = normalized(next);
              if (fixed) setNext(fixed);
            },
          };
        }
        const fixed = normalized(result as ExecutionResult);
        if (fixed) setResult(fixed);
        return undefined;
      };
    },
  };
}

/**
 * Each subscription event carries its own errors only. The Rust planner's executor runs one
 * plan per subscription and collects errors into one array for its whole life, handing that
 * same array out with every event, so an entity fetch that failed once would repeat its error
 * on every later event, and an event kept for late joiners (multiplexer.ts) would gain the
 * errors of later ones. This wraps the upstream stream, before anything shares or keeps its
 * events: an event whose `errors` is the array the previous event carried keeps only what was
 * added since, always as an array of its own; an event with none left has no `errors`.
 * A plain iterator (no generator), so ending a subscription reaches upstream at once.
 */
export function eventsWithOwnErrors(upstream: AsyncIterable<ExecutionResult>): AsyncIterableIterator<ExecutionResult> {
  const iterator = upstream[Symbol.asyncIterator]();
  let seen: readonly unknown[] | undefined;
  let seenCount = 0;
  const own = (result: ExecutionResult): ExecutionResult => {
    const errors = result?.errors;
    if (!errors) return result;
    const fresh = errors === seen ? errors.slice(seenCount) : errors.slice();
    seen = errors;
    seenCount = errors.length;
    const { errors: _shared, ...rest } = result;
    return fresh.length ? { ...rest, errors: fresh } : rest;
  };
  const wrapped: AsyncIterableIterator<ExecutionResult> = {
    [Symbol.asyncIterator]: () => wrapped,
    next: async () => {
      const step = await iterator.next();
      return step.done ? step : { done: false, value: own(step.value) };
    },
    return: async (value?: unknown) => (iterator.return ? iterator.return(value) : { done: true, value: undefined }),
    throw: async (err?: unknown) => (iterator.throw ? iterator.throw(err) : Promise.reject(err)),
  };
  return wrapped;
}
