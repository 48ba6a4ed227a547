import { Claims, Logger, useServer, verifyToken } from '@cascade/kernel';
import { getGraphQLWSOptions } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { bearerToken } from './auth-plugin';
import { SubscriptionMultiplexer } from './multiplexer';
import { ScreenLinkStatus } from './screen-links';

interface SocketState {
  claims?: Claims;
  expiresAt?: number;
  subscriptions: Set<string>;
  request: http.IncomingMessage;
  socket: import('ws').WebSocket;
}

/**
 * graphql-ws at the gateway's /graphql: the token in connection_init (missing or bad: 4403),
 * the same plugin chain as HTTP (limits, auth), a bounded number of subscriptions per socket,
 * the socket closed when its token expires, and identical subscriptions multiplexed.
 */
export function attachWebSocket(
  server: http.Server,
  runtime: Parameters<typeof getGraphQLWSOptions>[0],
  options: { jwtSecret: string; maxSubscriptionsPerSocket: number; logger: Logger; screens: ScreenLinkStatus },
) {
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if ((req.url ?? '').split('?')[0] !== '/graphql') {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  const multiplexer = new SubscriptionMultiplexer();
  /** Open sockets of each screen link, closed when the link is revoked. */
  const screenSockets = new Map<string, Set<import('ws').WebSocket>>();
  const state = (ctx: { extra: unknown }) => ctx.extra as SocketState;
  const base = getGraphQLWSOptions(runtime as any, (ctx) => ({
    req: state(ctx).request,
    socket: state(ctx).socket,
    cascadeClaims: state(ctx).claims,
    cascadeTokenExpiresAt: state(ctx).expiresAt,
  }));
  const scopeKey = (claims: Claims | undefined) => (claims ? `${claims.root}|${claims.tenantPath}|${claims.role}` : 'anonymous');

  useServer(
    {
      ...base,
      connectionInitWaitTimeout: 3_000, // then 4408
      onConnect: async (ctx) => {
        const socketState = state(ctx);
        socketState.subscriptions = new Set();
        const token = bearerToken({ connectionParams: ctx.connectionParams });
        if (!token) return false;
        try {
          const verified = await verifyToken(token, options.jwtSecret);
          const linkId = verified.claims.screen?.linkId;
          if (linkId) {
            if (!(await options.screens.isActive(verified.claims))) return false;
            const sockets = screenSockets.get(linkId) ?? new Set();
            sockets.add(socketState.socket);
            screenSockets.set(linkId, sockets);
            socketState.socket.once('close', () => sockets.delete(socketState.socket));
          }
          socketState.claims = verified.claims;
          socketState.expiresAt = verified.expiresAt;
          const ms = Math.min(verified.expiresAt * 1000 - Date.now(), 2 ** 31 - 1);
          const timer = setTimeout(() => socketState.socket.close(4403, 'Forbidden: token expired'), Math.max(ms, 0));
          timer.unref();
          socketState.socket.once('close', () => clearTimeout(timer));
          return true;
        } catch {
          return false;
        }
      },
      onSubscribe: (ctx, id, payload) => {
        const subs = state(ctx).subscriptions;
        if (!subs.has(id) && subs.size >= options.maxSubscriptionsPerSocket) {
          return [new GraphQLError(`At most ${options.maxSubscriptionsPerSocket} subscriptions per socket`, { extensions: { code: 'RATE_LIMITED' } })];
        }
        subs.add(id);
        return base.onSubscribe!(ctx, id, payload);
      },
      onComplete: (ctx, id) => {
        state(ctx).subscriptions.delete(id);
      },
      onError: (ctx, id) => {
        state(ctx).subscriptions.delete(id);
      },
      subscribe: (args) => {
        const context = args.contextValue as { params: { query: string; variables?: unknown; operationName?: string }; cascadeClaims?: Claims };
        const key = JSON.stringify([scopeKey(context.cascadeClaims), context.params.operationName ?? null, context.params.query, context.params.variables ?? {}]);
        return multiplexer.subscribe(key, () => base.subscribe!(args) as any) as any;
      },
    },
    wss,
  );

  return {
    multiplexer,
    /** A revoked screen link: its open screens stop at once (4403). */
    closeScreen(linkId: string) {
      for (const socket of screenSockets.get(linkId) ?? []) socket.close(4403, 'Forbidden: screen link revoked');
      screenSockets.delete(linkId);
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
