import { Claims } from '@cascade/kernel';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { ExecutionResult, getOperationAST, GraphQLError, parse } from 'graphql';
import { BoundedCounts } from './bounded-counts';
import { LIMITS } from './limits';
import { FrameSink, SubscriptionMultiplexer } from './multiplexer';
import { eventsWithOwnErrors } from './planner-errors';
import { replayPlan } from './subscription-replay';

const isAsyncIterable = (value: unknown): value is AsyncIterable<ExecutionResult> =>
  !!value && typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';

/**
 * The rules every subscription obeys, as plugins in the runtime's chain (HTTP and graphql-ws
 * operations both pass through it; websocket.ts adds only what is per socket):
 * - subscriptions are served over graphql-ws only, where token expiry, screen revocation and
 *   the caps hold; over HTTP (SSE, multipart, JSON) a subscription answers 400, never a stream;
 * - each subscriber is shared into a multiplexed upstream only after the whole chain (token,
 *   screen target, scope) has accepted it, and only with subscribers of the same claims;
 * - one user holds at most MAX_SUBSCRIPTIONS_PER_USER subscriptions over all its sockets.
 */

/** Set on the context of every operation that arrives over graphql-ws (websocket.ts). */
export const WEBSOCKET_TRANSPORT = { cascadeTransport: 'graphql-ws' } as const;

const isWebSocket = (context: unknown) => (context as { cascadeTransport?: string } | undefined)?.cascadeTransport === WEBSOCKET_TRANSPORT.cascadeTransport;

const HTTP_REFUSAL = 'Subscriptions are served over WebSocket (graphql-ws) at /graphql';

/** Whether an HTTP request's operation is a subscription (the keyword first, so queries are not parsed twice). */
function isSubscriptionText(query: unknown, operationName: unknown): boolean {
  if (typeof query !== 'string' || !query.includes('subscription')) return false;
  try {
    const document = parse(query, { maxTokens: LIMITS.maxTokens });
    return getOperationAST(document, typeof operationName === 'string' ? operationName : undefined)?.operation === 'subscription';
  } catch {
    return false; // the runtime answers the parse error itself
  }
}

/**
 * First in the chain: a subscription over HTTP is refused before anything runs, and its answer
 * is JSON whatever the Accept header asked for (Yoga would otherwise stream even the refusal).
 * The onSubscribe check is the same rule for any path the text check could miss.
 */
export function subscriptionsOverWebSocketOnly(): GatewayPlugin {
  const refused = new WeakSet<object>();
  const refusal = () => ({ errors: [new GraphQLError(HTTP_REFUSAL, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } })] });
  return {
    onParams({ params, request, context, setResult }) {
      if (isWebSocket(context) || !isSubscriptionText(params.query, params.operationName)) return;
      refused.add(request);
      setResult(refusal());
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const context = args.contextValue as { request?: object };
      if (isWebSocket(context)) return;
      if (context.request) refused.add(context.request);
      setResultAndStopExecution(refusal());
    },
    onResultProcess({ request, setResultProcessor }) {
      if (!refused.has(request)) return;
      setResultProcessor(
        (result, fetchAPI) =>
          new fetchAPI.Response(JSON.stringify({ errors: (result as { errors?: unknown[] }).errors }), {
            status: 400,
            headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
          }),
        'application/json',
      );
    },
  };
}

/**
 * Everything a subgraph may read of the caller (its resolvers see the signed claims, user id
 * included): subscribers share an upstream only when all of it is equal, so a shared payload
 * is exactly what each would have got alone.
 */
function claimsKey(claims: Claims | null | undefined) {
  if (!claims) return null;
  const { userId, tenantId, tenantPath, role, root, screen } = claims;
  return [userId, tenantId, tenantPath, role, root, screen ? [screen.linkId, screen.activityId, screen.tenantId, screen.campaignId] : null];
}

/**
 * Last in the chain, so it is reached only by subscriptions every other plugin (auth, screen
 * guard, limits) accepted: counts the user's subscriptions and joins the shared upstream.
 * Queries and mutations over graphql-ws are never shared: each one runs.
 */
export function sharedSubscriptions(options: { multiplexer: SubscriptionMultiplexer; maxPerUser: number }): GatewayPlugin {
  // live subscriptions per user (a screen counts as its link), across every socket of this gateway
  const perUser = new BoundedCounts(options.maxPerUser);
  return {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const context = args.contextValue as {
        cascadeClaims?: Claims | null;
        params?: { query?: string; variables?: unknown };
        socket?: FrameSink['socket'];
        cascadeSubscriptionId?: string;
      };
      const claims = context.cascadeClaims;
      if (!claims) return; // refused earlier in the chain
      setSubscribeFn((subscribeArgs) => {
        const user = claims.userId ?? 'anonymous';
        if (!perUser.admit(user)) {
          return { errors: [new GraphQLError(`At most ${options.maxPerUser} subscriptions per user`, { extensions: { code: 'RATE_LIMITED' } })] };
        }
        const replay = replayPlan(subscribeArgs.document, subscribeArgs.operationName);
        const key = JSON.stringify([claimsKey(claims), subscribeArgs.operationName ?? null, context.params?.query ?? null, context.params?.variables ?? {}]);
        const start = async () => {
          const result = await subscribeFn(replay ? { ...subscribeArgs, document: replay.document } : subscribeArgs);
          return isAsyncIterable(result) ? eventsWithOwnErrors(result) : result;
        };
        // over graphql-ws (websocket.ts) the events go straight to this subscriber's own socket
        const sink = isWebSocket(context) && context.socket && typeof context.cascadeSubscriptionId === 'string' ? { socket: context.socket, id: context.cascadeSubscriptionId } : null;
        return options.multiplexer.subscribe(key, replay, start as () => any, () => perUser.release(user), sink) as any;
      });
    },
  };
}
