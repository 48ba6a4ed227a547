import { GraphQLResponse } from '@cascade/app';
import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * The same calls as the HTTP GraphQLClient (`request`, `run`), sent as graphql-ws operations
 * over one WebSocket per client: to run a test matrix over both transports unchanged.
 */
export class WsGraphQLClient {
  private client: Client | null = null;

  constructor(
    private readonly httpUrl: string,
    readonly token: string | null,
  ) {}

  private socket(): Client {
    this.client ??= createClient({
      url: this.httpUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: this.token ? { authorization: `Bearer ${this.token}` } : {},
      retryAttempts: 0,
      lazy: true,
    });
    return this.client;
  }

  /** The first result of the operation, errors included (an `error` message becomes `errors`). */
  request<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> {
    return new Promise((resolve, reject) => {
      let result: GraphQLResponse<T> | null = null;
      this.socket().subscribe<T>(
        { query, variables },
        {
          next: (value) => {
            result ??= value as GraphQLResponse<T>;
          },
          error: (err) => {
            if (Array.isArray(err)) resolve({ errors: err as GraphQLResponse['errors'] });
            else reject(err instanceof Error ? err : new Error(`socket closed: ${JSON.stringify(err)}`));
          },
          complete: () => (result ? resolve(result) : reject(new Error('completed without a result'))),
        },
      );
    });
  }

  async run<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await this.request<T>(query, variables);
    if (response.errors?.length) {
      const first = response.errors[0];
      throw Object.assign(new Error(`${first.extensions?.code ?? 'ERROR'}: ${first.message}`), { code: first.extensions?.code });
    }
    return response.data as T;
  }

  async close(): Promise<void> {
    await this.client?.dispose();
  }
}
