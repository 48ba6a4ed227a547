import { ANONYMOUS, checkScreenOperation, Claims, INTERNAL_CONTEXT_HEADER, signInternalContext, signSocketContext } from '@cascade/kernel';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { DocumentNode, GraphQLError, Kind, OperationDefinitionNode } from 'graphql';
import { ScreenLinkStatus } from './screen-links';
import { WEBSOCKET_TRANSPORT } from './subscription-rules';
import type { TokenStatus } from './token-status';
import type { VerifiedTokens } from './verified-tokens';

/** What the gateway adds to each operation's context. */
export interface AuthContext {
  cascadeClaims?: Claims | null;
  cascadeTokenExpiresAt?: number;
  /** The user's token version the token was issued with (`ver`; null: none). */
  cascadeTokenVersion?: number | null;
  cascadeAuthError?: string;
  /**
   * The connectionParams of upstream subscription sockets: short-lived (signSocketContext).
   * Signed only for operations over graphql-ws, the only ones that open upstream subscriptions.
   */
  cascadeSignedContext?: string;
  /** Set by websocket.ts on every operation of a client WebSocket. */
  cascadeTransport?: string;
}

/** The token from `Authorization: Bearer …` (HTTP) or the graphql-ws connection_init payload. */
export function bearerToken(context: any): string | null {
  const fromHeader = context?.request?.headers?.get?.('authorization');
  const params = context?.connectionParams ?? {};
  const fromParams = params.authorization ?? params.Authorization;
  const value: unknown = fromHeader ?? fromParams;
  if (typeof value !== 'string') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(value.trim());
  return match ? match[1] : null;
}

/** True when the operation is a mutation selecting only `signIn` (the one anonymous operation). */
export function isSignInOnly(document: DocumentNode, operationName?: string | null): boolean {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!operation || operation.operation !== 'mutation') return false;
  const fields = operation.selectionSet.selections;
  return (
    fields.length > 0 &&
    fields.every((s) => s.kind === Kind.FIELD && (s.name.value === 'signIn' || s.name.value === '__typename'))
  );
}

/**
 * Verifies the sign-in JWT (a verification remembered briefly: verified-tokens.ts), refuses
 * every operation but signIn without a valid one, and signs the internal context onto every
 * subgraph call — including entity fetches made for subscription events — bound to that
 * call's body and valid 30 s, so a captured header replays nothing else. Upstream
 * subscription sockets open with a socket context valid for 30–60 s (signSocketContext),
 * never for the token's life: the token itself is checked here for every operation (expiry,
 * screen link, token status), and websocket.ts ends a client's subscriptions when its token
 * expires or its screen link is revoked, which ends the upstream ones.
 */
export function authPlugin(options: { internalSecret: string; screens: ScreenLinkStatus; tokens: TokenStatus; verifiedTokens: VerifiedTokens }): GatewayPlugin<AuthContext> {
  const refuse = (message: string) => ({
    errors: [new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } })],
  });
  return {
    async onContextBuilding({ context, extendContext }) {
      const given = context as AuthContext;
      let auth: AuthContext;
      if (given.cascadeClaims !== undefined) {
        auth = given; // verified at connection_init (WebSocket)
      } else {
        const token = bearerToken(context);
        try {
          const verified = token ? await options.verifiedTokens.verify(token) : null;
          auth = verified
            ? { cascadeClaims: verified.claims, cascadeTokenExpiresAt: verified.expiresAt, cascadeTokenVersion: verified.version }
            : { cascadeClaims: null, cascadeAuthError: 'Sign in first' };
        } catch {
          auth = { cascadeClaims: null, cascadeAuthError: 'Invalid or expired token' };
        }
      }
      // every operation on its own, a socket's too (its token was verified once, at connection_init)
      if (auth.cascadeTokenExpiresAt !== undefined && auth.cascadeTokenExpiresAt * 1000 <= Date.now()) {
        auth = { cascadeClaims: null, cascadeAuthError: 'Invalid or expired token' };
      }
      if (auth.cascadeClaims?.screen && !(await options.screens.isActive(auth.cascadeClaims))) {
        auth = { cascadeClaims: null, cascadeAuthError: 'This screen link is not valid' };
      }
      // a user's token ends with signOut, revocation, a new role or removal (token-status.ts)
      auth = await options.tokens.check(context, auth);
      // only an operation over graphql-ws can open an upstream subscription socket
      const overWebSocket = given.cascadeTransport === WEBSOCKET_TRANSPORT.cascadeTransport;
      const signed = auth.cascadeClaims && overWebSocket ? signSocketContext(auth.cascadeClaims, options.internalSecret) : '';
      extendContext({ ...auth, cascadeSignedContext: signed } as AuthContext);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue as AuthContext;
      if (!ctx.cascadeClaims && !isSignInOnly(args.document, args.operationName)) {
        setResultAndStopExecution(refuse(ctx.cascadeAuthError ?? 'Sign in first'));
        return;
      }
      const screenError = ctx.cascadeClaims?.screen && checkScreenOperation(ctx.cascadeClaims.screen, args.document, args.operationName, args.variableValues, args.schema);
      if (screenError) setResultAndStopExecution({ errors: [screenError] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue as AuthContext;
      if (!ctx.cascadeClaims) {
        setResultAndStopExecution(refuse(ctx.cascadeAuthError ?? 'Sign in first'));
        return;
      }
      const screenError = ctx.cascadeClaims.screen && checkScreenOperation(ctx.cascadeClaims.screen, args.document, args.operationName, args.variableValues, args.schema);
      if (screenError) setResultAndStopExecution({ errors: [screenError] });
    },
    onFetch({ context, options: fetchOptions, setOptions }) {
      const claims = (context as AuthContext | undefined)?.cascadeClaims ?? ANONYMOUS;
      // the TCP peer (HTTP request or WebSocket upgrade), never x-forwarded-for: a client writes that
      const clientAddress: string | null = (context as any)?.req?.socket?.remoteAddress ?? null;
      // signed here, on the final body of this very fetch (the subgraph checks the bytes it got);
      // a body of any other kind (none is sent today) gets no context and is refused
      const body = typeof fetchOptions.body === 'string' || fetchOptions.body instanceof Uint8Array ? fetchOptions.body : null;
      setOptions({
        ...fetchOptions,
        headers: {
          ...(fetchOptions.headers as Record<string, string>),
          ...(body !== null ? { [INTERNAL_CONTEXT_HEADER]: signInternalContext({ ...claims, clientAddress }, options.internalSecret, body) } : {}),
        },
      });
    },
  };
}
