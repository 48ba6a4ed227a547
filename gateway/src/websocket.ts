import { Claims, Logger, useServer, verifyToken } from '@cascade/kernel';
import { getGraphQLWSOptions } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { bearerToken } from './auth-plugin';
import { BoundedCounts } from './bounded-counts';
import { ScreenLinkStatus } from './screen-links';
import { routeOf } from './routes';
import { WEBSOCKET_TRANSPORT } from './subscription-rules';

type PendingRequest = http.IncomingMessage & { cascadeSettlePending?: () => void };

/** Messages only a server sends; graphql-ws answers one from a client with 4500, as if its own fault. */
const SERVER_ONLY_TYPES = new Set(['connection_ack', 'next', 'error']);

/**
 * A client's protocol violations are the client's, not internal errors:
 * - ws reports a message over maxPayload, bad UTF-8 or a bad opcode as an 'error' on the
 *   socket after it has already closed it with the right code (1009, 1007, 1002);
 *   graphql-ws would print each with a stack, so any client could fill the logs;
 * - a message of a type only servers send closes the socket with 4400, as the graphql-ws
 *   protocol says of any unexpected message (graphql-ws itself answers 4500).
 * Both are one debug line. The check sits on the socket's `emit`, ahead of graphql-ws's own
 * listeners, which cannot be told apart from outside.
 */
function guardClientProtocol(ws: import('ws').WebSocket, logger: Logger) {
  const emit = ws.emit.bind(ws) as (event: string | symbol, ...args: unknown[]) => boolean;
  ws.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event === 'error') {
      const code = (args[0] as { code?: unknown } | undefined)?.code;
      if (typeof code === 'string' && code.startsWith('WS_ERR_')) {
        logger.debug({ code }, 'websocket closed for a protocol violation');
        return true;
      }
    }
    if (event === 'message') {
      const type = messageType(args[0]);
      if (type !== undefined && SERVER_ONLY_TYPES.has(type)) {
        logger.debug({ type }, 'websocket closed for a server-only message type');
        ws.close(4400, `Unexpected message of type ${type}`);
        return true;
      }
    }
    return emit(event, ...args);
  }) as typeof ws.emit;
}

/** The `type` of a graphql-ws message, when it is a JSON object with a string type. */
function messageType(data: unknown): string | undefined {
  try {
    const message = JSON.parse(String(data)) as { type?: unknown } | null;
    return typeof message?.type === 'string' ? message.type : undefined;
  } catch {
    return undefined; // not JSON: graphql-ws answers 4400 itself
  }
}

/** Answers an upgrade request with a plain HTTP status instead of switching protocols. */
function refuseUpgrade(socket: import('node:stream').Duplex, status: number, reason: string) {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  socket.on('error', () => undefined);
}

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
 * and the socket closed when its token expires. The rules of every subscription, whatever
 * its transport (sharing, per-user cap), are plugins in the chain: subscription-rules.ts.
 */
export function attachWebSocket(
  server: http.Server,
  runtime: Parameters<typeof getGraphQLWSOptions>[0],
  options: {
    jwtSecret: string;
    maxSubscriptionsPerSocket: number;
    /** Largest message, as MAX_BODY_BYTES for HTTP bodies: a bigger one closes the socket (1009). */
    maxMessageBytes: number;
    /** Sockets one address may hold open before their connection_init is accepted. */
    maxPendingPerAddress: number;
    logger: Logger;
    screens: ScreenLinkStatus;
  },
) {
  // ws's own default is 100 MiB, read in full before graphql-ws sees a byte of it
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });
  // sockets not yet signed in cost memory and a timer each while holding no token: bounded per
  // address; graphql-ws closes any that stay unsigned past its init timeout
  const pending = new BoundedCounts(options.maxPendingPerAddress);
  server.on('upgrade', (req, socket, head) => {
    if (routeOf(req.url).kind !== 'graphql') return refuseUpgrade(socket, 404, 'Not Found');
    const address = req.socket.remoteAddress ?? 'unknown';
    if (!pending.admit(address)) return refuseUpgrade(socket, 429, 'Too Many Requests');
    wss.handleUpgrade(req, socket, head, (ws) => {
      // signed in (connection_ack) or gone: either way no longer pending
      let settled = false;
      const settle = () => {
        if (settled) return;
        settled = true;
        pending.release(address);
      };
      ws.once('close', settle);
      guardClientProtocol(ws, options.logger);
      (req as PendingRequest).cascadeSettlePending = settle;
      wss.emit('connection', ws, req);
    });
  });
  /** Open sockets of each screen link, closed when the link is revoked. */
  const screenSockets = new Map<string, Set<import('ws').WebSocket>>();
  const state = (ctx: { extra: unknown }) => ctx.extra as SocketState;
  const base = getGraphQLWSOptions(runtime as any, (ctx) => ({
    req: state(ctx).request,
    socket: state(ctx).socket,
    cascadeClaims: state(ctx).claims,
    cascadeTokenExpiresAt: state(ctx).expiresAt,
    ...WEBSOCKET_TRANSPORT,
  }));

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
          (socketState.request as PendingRequest).cascadeSettlePending?.();
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
        // the subscription's id, so a shared subscription writes its frames (multiplexer.ts)
        return Promise.resolve(base.onSubscribe!(ctx, id, payload)).then((args) => {
          const context = (args as { contextValue?: Record<string, unknown> } | null | undefined)?.contextValue;
          if (context) context.cascadeSubscriptionId = id;
          return args;
        });
      },
      onComplete: (ctx, id) => {
        state(ctx).subscriptions.delete(id);
      },
      onError: (ctx, id) => {
        state(ctx).subscriptions.delete(id);
      },
    },
    wss,
  );

  return {
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
