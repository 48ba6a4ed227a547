import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { ExecutionResult, GraphQLError } from 'graphql';

/**
 * Every error a client sees carries extensions.code. Errors raised by GraphQL itself before
 * any resolver runs (a variable of the wrong type, an unknown enum value) come without
 * one: they are the client's input, so BAD_USER_INPUT.
 *
 * The query planner's executor throws those variable errors instead of answering them, and
 * leaves `data` out when a subgraph answered `data: null`: the execute step here answers a
 * thrown GraphQLError as a result (no `data`, as graphql-js does for a request it cannot
 * start), and an executed result without `data` with `data: null`, as the GraphQL spec has it.
 */
export function errorCodesPlugin(): GatewayPlugin {
  const withCode = (error: GraphQLError) =>
    error.extensions?.code
      ? error
      : new GraphQLError(error.message, {
          nodes: error.nodes,
          path: error.path,
          originalError: error.originalError ?? undefined,
          extensions: { ...error.extensions, code: error.path ? 'INTERNAL_SERVER_ERROR' : 'BAD_USER_INPUT' },
        });
  const thrownGraphQLErrors = (err: unknown): GraphQLError[] | null => {
    if (err instanceof GraphQLError) return [err];
    if (err instanceof AggregateError && err.errors.length > 0 && err.errors.every((e) => e instanceof GraphQLError)) return err.errors;
    return null;
  };
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn(async (args) => {
        let result: Awaited<ReturnType<typeof executeFn>>;
        try {
          result = await executeFn(args);
        } catch (err) {
          const errors = thrownGraphQLErrors(err);
          if (!errors) throw err;
          return { errors };
        }
        const single = result as ExecutionResult;
        if (single && typeof single === 'object' && !(Symbol.asyncIterator in single) && single.data === undefined && single.errors?.length) {
          return { ...single, data: null };
        }
        return result;
      });
      return {
        onExecuteDone({ result, setResult }) {
          if (!('errors' in result) || !result.errors?.length) return;
          if (result.errors.every((e) => e.extensions?.code)) return;
          setResult({ ...result, errors: result.errors.map((e) => withCode(e as GraphQLError)) });
        },
      };
    },
  };
}
