/**
 * The screen's two ways to the gateway: one GraphQL query over HTTP (sent by its hash), and a
 * small graphql-ws (graphql-transport-ws) client that resubscribes after every reconnect (the first
 * event of each subscription is the current state) and says when it is live and when it is not —
 * a socket refused, dropped, or opened by a proxy that never answers (no connection_ack in time).
 */
export interface LiveSubscription {
  query: string;
  variables: Record<string, unknown>;
  onData(data: any): void;
}

export interface LiveOptions {
  url: string;
  token: string;
  subscriptions: LiveSubscription[];
  /** connection_ack received and every subscription sent. */
  onLive(): void;
  /** Not live (never connected, or lost); it keeps trying on its own. */
  onDown(): void;
  /** The link was refused (revoked, expired): stop everything. */
  onInvalid(): void;
}

/** A socket that has not acknowledged by then is treated as blocked. */
const ACK_TIMEOUT_MS = 5000;
/** Reconnect delays: 1 s, 2 s, 4 s, 8 s, then every 10 s. */
const MAX_RETRY_MS = 10_000;
/** The gateway's closes for a link or token it refuses. */
const REFUSED = new Set([4401, 4403]);
/** Errors that mean the link itself is refused (an HTTP answer or a subscription's). */
export const INVALID_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND']);

export function connectLive(options: LiveOptions): () => void {
  let socket: WebSocket | null = null;
  let attempt = 0;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const detach = (ws: WebSocket) => {
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    try {
      ws.close();
    } catch {
      // already closing
    }
  };

  const down = (ws: WebSocket) => {
    if (socket !== ws || stopped) return;
    detach(ws);
    socket = null;
    attempt++;
    options.onDown();
    retry = setTimeout(open, Math.min(1000 * 2 ** (attempt - 1), MAX_RETRY_MS));
  };

  const invalid = () => {
    stopped = true;
    if (socket) detach(socket);
    clearTimeout(retry);
    options.onInvalid();
  };

  function open() {
    if (stopped) return;
    let ws: WebSocket;
    try {
      ws = new WebSocket(options.url, 'graphql-transport-ws');
    } catch {
      attempt++;
      options.onDown();
      retry = setTimeout(open, MAX_RETRY_MS);
      return;
    }
    socket = ws;
    const ackTimer = setTimeout(() => down(ws), ACK_TIMEOUT_MS);
    ws.onopen = () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${options.token}` } }));
    ws.onmessage = (message) => {
      let msg: any;
      try {
        msg = JSON.parse(String(message.data));
      } catch {
        return down(ws);
      }
      if (msg.type === 'connection_ack') {
        clearTimeout(ackTimer);
        attempt = 0;
        // the text, always: graphql-ws requires the query in every subscribe message
        options.subscriptions.forEach((s, i) => ws.send(JSON.stringify({ type: 'subscribe', id: String(i), payload: { query: s.query, variables: s.variables } })));
        options.onLive();
      } else if (msg.type === 'next') {
        if (msg.payload?.errors?.length) {
          if (INVALID_CODES.has(msg.payload.errors[0].extensions?.code)) invalid();
          return;
        }
        options.subscriptions[Number(msg.id)]?.onData(msg.payload.data);
      } else if (msg.type === 'error') {
        invalid();
      } else if (msg.type === 'ping') {
        ws.send(JSON.stringify({ type: 'pong' }));
      }
    };
    ws.onclose = (event) => {
      clearTimeout(ackTimer);
      if (socket !== ws || stopped) return;
      if (REFUSED.has(event.code)) return invalid();
      down(ws);
    };
  }

  open();
  return () => {
    stopped = true;
    clearTimeout(retry);
    if (socket) detach(socket);
  };
}

/** Thrown when an HTTP answer says the link is refused. */
export class InvalidLink extends Error {}

/** Each document's SHA-256 in hex, once per page; null without Web Crypto (plain HTTP off localhost). */
const hashes = new Map<string, Promise<string | null>>();
function sha256(text: string): Promise<string | null> {
  let hash = hashes.get(text);
  if (!hash) {
    hash = crypto.subtle
      ? crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)).then(
          (digest) => Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join(''),
          () => null,
        )
      : Promise.resolve(null);
    hashes.set(text, hash);
  }
  return hash;
}

async function answerOf(res: Response): Promise<any> {
  try {
    return await res.json();
  } catch {
    throw new Error(`HTTP ${res.status}`);
  }
}

/**
 * One GraphQL query over HTTP with the link's token. The document goes by its hash (automatic
 * persisted queries, a GET), and with its text (a POST) only when the gateway does not know it
 * yet. Throws InvalidLink when the link is refused, and any other error (network, 5xx) as it is:
 * the caller tries again later.
 */
export async function query(token: string, text: string, variables: Record<string, unknown>): Promise<any> {
  const headers = { authorization: `Bearer ${token}` };
  const hash = await sha256(text);
  const extensions = hash ? { persistedQuery: { version: 1, sha256Hash: hash } } : undefined;
  let body: any = null;
  if (extensions) {
    const params = new URLSearchParams({ variables: JSON.stringify(variables), extensions: JSON.stringify(extensions) });
    body = await answerOf(await fetch(`/graphql?${params}`, { headers, cache: 'no-store' }));
  }
  if (!body || body.errors?.[0]?.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND') {
    const res = await fetch('/graphql', {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ query: text, variables, extensions }),
      cache: 'no-store',
    });
    body = await answerOf(res);
  }
  const code = body?.errors?.[0]?.extensions?.code;
  if (INVALID_CODES.has(code)) throw new InvalidLink(code);
  if (!body?.data) throw new Error(body?.errors?.[0]?.message ?? 'no data');
  return body.data;
}
