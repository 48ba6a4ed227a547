import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { APQStore, useAPQ } from '@graphql-yoga/plugin-apq';
import { GraphQLError } from 'graphql';

/**
 * Automatic persisted queries (Apollo's APQ protocol): a client sends
 * `extensions.persistedQuery { version: 1, sha256Hash }` without the query; a hash this gateway
 * does not know answers PERSISTED_QUERY_NOT_FOUND, and the client sends it again with the query,
 * which is checked against the hash and run, and kept. The protocol itself is Yoga's plugin
 * (@graphql-yoga/plugin-apq); this module adds what it leaves out:
 * - a malformed extension (not an object, another version, a hash that is not 64 lowercase hex
 *   digits) answers BAD_REQUEST instead of being ignored or used as a key;
 * - an operation over graphql-ws gets its errors as a result (a `next` message): thrown, they
 *   would close the whole socket with 4500. (Over graphql-ws a document cannot be sent by its
 *   hash alone: the protocol requires the query in every subscribe message.)
 * - a document is kept only once the whole chain accepted it (`remember`, below), in a store
 *   bounded by count and by bytes (PersistedDocuments), so registering documents without end
 *   (hash flooding) only evicts the least recently used ones.
 *
 * `lookup` is first in the chain: every later hook sees the query text, and a document sent by
 * its hash is parsed, validated and limited (depth, aliases, tokens, cost, screen rules, auth,
 * subscriptions over WebSocket only, no mutation over GET) exactly as the same text sent in full:
 * the store keeps text, never a validated document.
 *
 * The store is each gateway process's own, in memory, also with REDIS_URL set: a miss costs the
 * client one more round trip with the query, once per document and process, and the protocol
 * heals it by itself; shared in Redis, every hash-only request would wait on Redis, and
 * documents registered by any signed-in caller would fill the memory of the Redis that carries
 * the event bus and the sign-in counters.
 */

const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface PersistedQueryLimits {
  /** Documents kept at most. */
  maxDocuments: number;
  /** Bytes of query text (UTF-8) kept at most, all documents together. */
  maxBytes: number;
}

/** Query texts by their SHA-256, least recently used first out, bounded by count and bytes. */
export class PersistedDocuments implements APQStore {
  // a Map iterates in insertion order: re-inserting on use keeps the oldest use first
  private readonly texts = new Map<string, { query: string; bytes: number }>();
  private totalBytes = 0;

  constructor(private readonly limits: PersistedQueryLimits) {}

  get size() {
    return this.texts.size;
  }

  get bytes() {
    return this.totalBytes;
  }

  get(hash: string): string | null {
    const entry = this.texts.get(hash);
    if (!entry) return null;
    this.texts.delete(hash);
    this.texts.set(hash, entry);
    return entry.query;
  }

  set(hash: string, query: string): void {
    const bytes = Buffer.byteLength(query);
    this.delete(hash);
    // a document larger than the whole store is run, never kept (it would evict everything)
    if (bytes > this.limits.maxBytes) return;
    this.texts.set(hash, { query, bytes });
    this.totalBytes += bytes;
    for (const oldest of this.texts.keys()) {
      if (this.texts.size <= this.limits.maxDocuments && this.totalBytes <= this.limits.maxBytes) break;
      this.delete(oldest);
    }
  }

  private delete(hash: string) {
    const entry = this.texts.get(hash);
    if (!entry) return;
    this.texts.delete(hash);
    this.totalBytes -= entry.bytes;
  }
}

const badRequest = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });

/** Why an `extensions.persistedQuery` cannot be used, or null when it is well formed (or absent). */
export function persistedQueryProblem(extensions: unknown): GraphQLError | null {
  if (extensions === undefined || extensions === null || typeof extensions !== 'object') return null;
  const persistedQuery = (extensions as { persistedQuery?: unknown }).persistedQuery;
  if (persistedQuery === undefined) return null;
  if (persistedQuery === null || typeof persistedQuery !== 'object' || Array.isArray(persistedQuery)) {
    return badRequest('extensions.persistedQuery must be an object { version: 1, sha256Hash }');
  }
  const { version, sha256Hash } = persistedQuery as { version?: unknown; sha256Hash?: unknown };
  if (version !== 1) return badRequest('Unsupported persisted query version: only version 1 is served');
  if (typeof sha256Hash !== 'string' || !SHA256_HEX.test(sha256Hash)) {
    return badRequest('extensions.persistedQuery.sha256Hash must be a SHA-256 of the query in 64 lowercase hex digits');
  }
  return null;
}

/** The two ends of the chain persisted queries need (see the module comment). */
export interface PersistedQueryPlugins {
  /** First in the chain: a hash becomes its text, a registration is checked against its hash. */
  lookup: GatewayPlugin;
  /** Last in the chain: a checked registration is kept once the operation is about to run. */
  remember: GatewayPlugin;
}

/**
 * A document sent with its hash is kept only when it is about to run: after parsing,
 * validation, the limits, sign-in and the screen rules accepted it (each refusal ends the chain
 * before `remember`). So a document that is refused — too deep, or sent without a valid token —
 * is never kept, and only signed-in callers can fill the store (bounded all the same).
 */
export function persistedQueries(store: PersistedDocuments): PersistedQueryPlugins {
  // Yoga's plugin, typed for Yoga's context (its onParams reads only params, setParams and
  // fetchAPI); it checks a registration's hash, and keeps nothing itself: `remember` does
  const apqOnParams = useAPQ({ store: { get: (hash) => store.get(hash), set: () => undefined } }).onParams as unknown as NonNullable<GatewayPlugin['onParams']>;
  // the params of operations whose query matched their hash, and that hash; the same object
  // becomes the operation's context.params (Yoga's handleParams), over HTTP and graphql-ws
  const checked = new WeakMap<object, string>();
  const keep = (context: unknown) => {
    const params = (context as { params?: { query?: unknown } } | undefined)?.params;
    const hash = params && checked.get(params);
    if (hash && typeof params.query === 'string') store.set(hash, params.query);
  };
  return {
    lookup: {
      async onParams(payload) {
        const extensions = payload.params.extensions;
        const sentWithQuery = payload.params.query != null;
        // Without a query (over HTTP only: graphql-ws requires one in every message) the error is
        // thrown: a result set here would not stop Yoga's later check answering "Must provide
        // query string". With one, it is set as the result: thrown over graphql-ws, it would
        // close the whole socket with 4500.
        const answer = (error: GraphQLError) => {
          if (!sentWithQuery) throw error;
          payload.setResult({ errors: [error] });
        };
        const problem = persistedQueryProblem(extensions);
        if (problem) return answer(problem);
        try {
          await apqOnParams(payload);
        } catch (err) {
          // PersistedQueryNotFound (404) and PersistedQueryMismatch (400), with their codes
          if (!(err instanceof GraphQLError)) throw err;
          return answer(err);
        }
        const persistedQuery = (extensions as { persistedQuery?: { sha256Hash: string } } | undefined)?.persistedQuery;
        if (persistedQuery && sentWithQuery) checked.set(payload.params, persistedQuery.sha256Hash);
      },
    },
    remember: {
      onExecute({ args }) {
        keep(args.contextValue);
      },
      onSubscribe({ args }) {
        keep(args.contextValue);
      },
    },
  };
}
