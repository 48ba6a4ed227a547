/**
 * A small graphql-ws (graphql-transport-ws) client for the screen: connects with the link's
 * token, resubscribes after every reconnect (the first event of each subscription is the
 * current state, so the screen is right at once), and reports a link that is not valid.
 */
export interface Subscription {
  query: string;
  variables: Record<string, unknown>;
  onData(data: any): void;
}

export interface LiveOptions {
  url: string;
  token: string;
  subscriptions: Subscription[];
  onStatus(status: 'connecting' | 'live' | 'reconnecting'): void;
  onInvalid(): void;
  onReconnected(): void;
}

export function connectLive(options: LiveOptions): () => void {
  let socket: WebSocket | null = null;
  let attempt = 0;
  let stopped = false;
  let everConnected = false;

  const open = () => {
    options.onStatus(attempt === 0 ? 'connecting' : 'reconnecting');
    socket = new WebSocket(options.url, 'graphql-transport-ws');
    socket.onopen = () => socket!.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${options.token}` } }));
    socket.onmessage = (message) => {
      const msg = JSON.parse(String(message.data));
      if (msg.type === 'connection_ack') {
        attempt = 0;
        options.onStatus('live');
        if (everConnected) options.onReconnected();
        everConnected = true;
        options.subscriptions.forEach((s, i) =>
          socket!.send(JSON.stringify({ type: 'subscribe', id: String(i), payload: { query: s.query, variables: s.variables } })),
        );
      } else if (msg.type === 'next') {
        if (msg.payload.errors?.length) {
          const code = msg.payload.errors[0].extensions?.code;
          if (code === 'FORBIDDEN' || code === 'UNAUTHENTICATED' || code === 'NOT_FOUND') invalid();
          return;
        }
        options.subscriptions[Number(msg.id)]?.onData(msg.payload.data);
      } else if (msg.type === 'error') {
        invalid();
      } else if (msg.type === 'ping') {
        socket!.send(JSON.stringify({ type: 'pong' }));
      }
    };
    socket.onclose = (event) => {
      if (stopped) return;
      if (event.code === 4403 || event.code === 4401) return invalid();
      attempt++;
      options.onStatus('reconnecting');
      setTimeout(open, Math.min(500 * 2 ** Math.min(attempt, 4), 5000));
    };
  };

  const invalid = () => {
    stopped = true;
    socket?.close();
    options.onInvalid();
  };

  open();
  return () => {
    stopped = true;
    socket?.close();
  };
}

/** One GraphQL query over HTTP with the link's token; null data when refused. */
export async function query(token: string, text: string, variables: Record<string, unknown>): Promise<{ data: any; code: string | null }> {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: text, variables }),
  });
  const body = await res.json();
  return { data: body.data ?? null, code: body.errors?.[0]?.extensions?.code ?? null };
}
