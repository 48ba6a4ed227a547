import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** A graphql-ws client at the gateway, and a subscription that records what it receives. */
export function wsClient(httpUrl: string, token: string | null): Client {
  return createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
}

export interface Recorded<T = any> {
  events: T[];
  errors: any[];
  completed: boolean;
  /** Resolves when `predicate` holds for the events so far (or rejects after `ms`). */
  until(predicate: (events: T[]) => boolean, ms?: number): Promise<T[]>;
  stop(): void;
}

export function record<T = any>(client: Client, query: string, variables: Record<string, unknown> = {}): Recorded<T> {
  const recorded: Recorded<T> = {
    events: [],
    errors: [],
    completed: false,
    until(predicate, ms = 5000) {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const check = () => {
          if (predicate(recorded.events)) return resolve(recorded.events);
          if (recorded.errors.length) return reject(new Error(`subscription failed: ${JSON.stringify(recorded.errors)}`));
          if (Date.now() - started > ms) return reject(new Error(`timed out; got ${JSON.stringify(recorded.events)}`));
          setTimeout(check, 20);
        };
        check();
      });
    },
    stop: () => undefined,
  };
  recorded.stop = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        if (value.errors) recorded.errors.push(...value.errors);
        else recorded.events.push(value.data as T);
      },
      error: (err) => recorded.errors.push(err),
      complete: () => {
        recorded.completed = true;
      },
    },
  );
  return recorded;
}

/** The first error's code of a subscription that fails at once (or 'NONE'). */
export async function subscriptionErrorCode(client: Client, query: string, variables: Record<string, unknown> = {}): Promise<string> {
  const r = record(client, query, variables);
  const started = Date.now();
  while (!r.errors.length && !r.events.length && Date.now() - started < 5000) await new Promise((res) => setTimeout(res, 20));
  r.stop();
  const error = r.errors[0];
  if (!error) return 'NONE';
  return error.extensions?.code ?? (Array.isArray(error) ? error[0]?.extensions?.code : undefined) ?? 'ERROR';
}

/** A raw WebSocket speaking graphql-transport-ws by hand (for protocol rules). */
export async function rawSocket(httpUrl: string): Promise<{ ws: WebSocket; messages: any[]; closed: Promise<{ code: number; reason: string }>; send(msg: unknown): void }> {
  const ws = new WebSocket(httpUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const messages: any[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, messages, closed, send: (msg) => ws.send(JSON.stringify(msg)) };
}
