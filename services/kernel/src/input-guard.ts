import {
  getNamedType,
  GraphQLArgument,
  GraphQLInputType,
  GraphQLObjectType,
  GraphQLSchema,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';
import { badInput } from './errors';

/**
 * The rules every input of every subgraph obeys (API.md, "Limits and security rules"),
 * checked in one place before any resolver runs: guardResolvers wraps each field that
 * takes arguments and walks the argument values along their GraphQL types.
 *
 * - a list holds at most MAX_LIST_ITEMS items ("an id list holds at most 100 ids");
 * - an ID is a row id: digits, 1 to MAX_ID (anything else is BAD_USER_INPUT, while an id in
 *   range that the caller cannot see stays null / NOT_FOUND, like one that does not exist);
 * - a String or ID is well-formed UTF-16 with no control character other than tab, newline
 *   and carriage return, and no bidirectional embedding, override or isolate. Short text is
 *   stricter still (no tab or newline): validation.ts requiredText/optionalText.
 */
export const MAX_LIST_ITEMS = 100;
/** Ids are INT columns. */
export const MAX_ID = 2147483647;

/** Parses an external id: a row id (1 to MAX_ID, plain digits) or null. */
export function toId(id: number | string | null | undefined): number | null {
  if (id === null || id === undefined) return null;
  const text = String(id);
  if (!/^[1-9]\d{0,9}$/.test(text)) return null;
  const n = Number(text);
  return n <= MAX_ID ? n : null;
}

// `u` mode reads a surrogate pair as one code point, so \p{Cs} matches only unpaired halves
const UNPAIRED_SURROGATE = /\p{Cs}/u;
const CONTROL_EXCEPT_LINES = /(?![\t\n\r])\p{Cc}/u; // C0, DEL and C1
const CONTROL = /\p{Cc}/u;
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/u;

/**
 * Why a text may not be stored, or null when it may. Long text (`multiline`) may hold tab,
 * newline and carriage return; short text (names, titles) none of them.
 */
export function textFault(text: string, options: { multiline: boolean }): string | null {
  if (UNPAIRED_SURROGATE.test(text)) return 'contains an unpaired surrogate (not valid Unicode)';
  const control = (options.multiline ? CONTROL_EXCEPT_LINES : CONTROL).exec(text);
  if (control) return `contains a control character (${codePoint(control[0])})`;
  const bidi = BIDI_CONTROL.exec(text);
  if (bidi) return `contains a bidirectional control character (${codePoint(bidi[0])})`;
  return null;
}

function codePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Checks a field's argument values against their definitions; BAD_USER_INPUT names the
 * path of the first bad value. An argument named `input` (every mutation's) is left out of
 * the path, so errors name `title` or `tags[1]`, as the services' own checks do.
 */
export function checkArguments(args: Record<string, unknown>, definitions: readonly GraphQLArgument[]): void {
  for (const definition of definitions) {
    checkValue(args[definition.name], definition.type, definition.name === 'input' ? '' : definition.name);
  }
}

function checkValue(value: unknown, type: GraphQLInputType, path: string): void {
  if (value === null || value === undefined) return;
  if (isNonNullType(type)) return checkValue(value, type.ofType, path);
  if (isListType(type)) {
    // graphql-js has already coerced a single value into a list of one
    const items = Array.isArray(value) ? value : [value];
    if (items.length > MAX_LIST_ITEMS) throw badInput(`${path} holds ${items.length} items; at most ${MAX_LIST_ITEMS}`, path);
    items.forEach((item, i) => checkValue(item, type.ofType, `${path}[${i}]`));
    return;
  }
  if (isInputObjectType(type)) {
    const fields = type.getFields();
    const object = value as Record<string, unknown>;
    for (const name of Object.keys(fields)) checkValue(object[name], fields[name].type, path ? `${path}.${name}` : name);
    return;
  }
  if (isScalarType(type) && (type.name === 'String' || type.name === 'ID') && typeof value === 'string') {
    const fault = textFault(value, { multiline: true });
    if (fault) throw badInput(`${path} ${fault}`, path);
    if (type.name === 'ID' && toId(value) === null) throw badInput(`${path} is not a valid id (1 to ${MAX_ID})`, path);
  }
}

type Resolver = (source: unknown, args: Record<string, unknown>, context: unknown, info: unknown) => unknown;
type FieldResolvers = Record<string, Resolver | { resolve?: Resolver; subscribe?: Resolver } | unknown>;

/**
 * Wraps, in a resolvers map built for `schema`, every field that takes arguments so its
 * arguments are checked first: `resolve` of queries, mutations and object fields, and
 * `subscribe` of subscriptions (checked once, when the subscription starts).
 *
 * Why not type-graphql's `globalMiddlewares`: they do not wrap a subscription's own
 * `subscribe` function (schema-generator.js wraps it with the auth checker only), and they
 * would run on every field of every object, arguments or not.
 */
export function guardResolvers<R extends Record<string, unknown>>(schema: GraphQLSchema, resolvers: R): R {
  for (const [typeName, type] of Object.entries(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || typeName.startsWith('__')) continue;
    const fieldResolvers = resolvers[typeName] as FieldResolvers | undefined;
    if (!fieldResolvers) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.length === 0 || !needsCheck(field.args)) continue;
      const guard = (inner: Resolver): Resolver => (source, args, context, info) => {
        checkArguments(args, field.args);
        return inner(source, args, context, info);
      };
      const entry = fieldResolvers[field.name];
      if (typeof entry === 'function') fieldResolvers[field.name] = guard(entry as Resolver);
      else if (entry && typeof entry === 'object') {
        const { subscribe, resolve } = entry as { resolve?: Resolver; subscribe?: Resolver };
        if (subscribe) fieldResolvers[field.name] = { ...entry, subscribe: guard(subscribe) };
        else if (resolve) fieldResolvers[field.name] = { ...entry, resolve: guard(resolve) };
      }
    }
  }
  return resolvers;
}

/** False when no argument can hold a list, a String or an ID (Int, Boolean, enums only). */
function needsCheck(args: readonly GraphQLArgument[]): boolean {
  const seen = new Set<string>();
  const visit = (type: GraphQLInputType): boolean => {
    if (isNonNullType(type)) return visit(type.ofType);
    if (isListType(type)) return true;
    const named = getNamedType(type);
    if (seen.has(named.name)) return false;
    seen.add(named.name);
    if (isInputObjectType(named)) return Object.values(named.getFields()).some((f) => visit(f.type));
    return named.name === 'String' || named.name === 'ID';
  };
  return args.some((arg) => visit(arg.type));
}
