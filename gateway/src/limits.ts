import { EnvelopArmor } from '@escape.tech/graphql-armor';

/**
 * Document limits for every operation, HTTP and WebSocket alike (graphql-armor): depth,
 * aliases, directives, tokens, cost; field suggestions are hidden from error messages.
 */
export const LIMITS = {
  maxDepth: 10,
  maxAliases: 15,
  maxDirectives: 20,
  maxTokens: 2000,
  maxCost: 5000,
};

export function limitPlugins() {
  const armor = new EnvelopArmor({
    maxDepth: { n: LIMITS.maxDepth, ignoreIntrospection: true },
    maxAliases: { n: LIMITS.maxAliases },
    maxDirectives: { n: LIMITS.maxDirectives },
    maxTokens: { n: LIMITS.maxTokens },
    costLimit: { maxCost: LIMITS.maxCost, ignoreIntrospection: true },
    blockFieldSuggestion: { enabled: true },
  });
  return armor.protect().plugins;
}
