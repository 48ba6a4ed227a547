import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, ValidationContext } from 'graphql';

/**
 * Document limits for every operation, HTTP and WebSocket alike (graphql-armor): depth,
 * aliases, directives, tokens, cost; field suggestions are hidden from error messages.
 */
export const LIMITS = {
  maxDepth: 10,
  maxAliases: 15,
  maxDirectives: 20,
  maxTokens: 2000,
  maxCost: 20000,
};

/** A rejected document is the client's input: report it as a validation error with a code. */
const asBadUserInput = {
  propagateOnRejection: false,
  onReject: [
    (ctx: ValidationContext | null, error: GraphQLError) =>
      ctx?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code: 'BAD_USER_INPUT' } })),
  ],
};

export function limitPlugins() {
  const armor = new EnvelopArmor({
    maxDepth: { n: LIMITS.maxDepth, ignoreIntrospection: true, ...asBadUserInput },
    maxAliases: { n: LIMITS.maxAliases, ...asBadUserInput },
    maxDirectives: { n: LIMITS.maxDirectives, ...asBadUserInput },
    // parsing stops at the limit, before there is a validation context: GRAPHQL_PARSE_FAILED
    maxTokens: { n: LIMITS.maxTokens },
    costLimit: { maxCost: LIMITS.maxCost, ignoreIntrospection: true, ...asBadUserInput },
    blockFieldSuggestion: { enabled: true },
  });
  return armor.protect().plugins;
}
