import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';

/**
 * Every error a client sees carries extensions.code. Errors raised by GraphQL itself before
 * any resolver runs (a variable of the wrong type, an unknown enum value) come without
 * one: they are the client's input, so BAD_USER_INPUT.
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
  return {
    onExecute() {
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
