import { createHash } from 'node:crypto';

/** A small GraphQL-over-HTTP client for the gateway (demo data, tests, benchmarks). */
export interface GraphQLResponse<T = any> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [k: string]: unknown } }[];
}

export interface GraphQLClientOptions {
  /**
   * Send each document by its SHA-256 (automatic persisted queries) and its text only when the
   * gateway answers PERSISTED_QUERY_NOT_FOUND: a document sent again costs its hash, not its text.
   */
  persisted?: boolean;
}

export class GraphQLClient {
  constructor(
    readonly url: string,
    public token: string | null = null,
    readonly options: GraphQLClientOptions = {},
  ) {}

  withToken(token: string | null): GraphQLClient {
    return new GraphQLClient(this.url, token, this.options);
  }

  /** The raw response, errors included. */
  async request<T = any>(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<GraphQLResponse<T>> {
    if (!this.options.persisted) return this.post<T>({ query, variables }, headers);
    const extensions = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } };
    const byHash = await this.post<T>({ variables, extensions }, headers);
    if (byHash.errors?.[0]?.extensions?.code !== 'PERSISTED_QUERY_NOT_FOUND') return byHash;
    return this.post<T>({ query, variables, extensions }, headers);
  }

  private async post<T>(body: Record<string, unknown>, headers: Record<string, string>): Promise<GraphQLResponse<T>> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: JSON.stringify(body),
    });
    return (await res.json()) as GraphQLResponse<T>;
  }

  /** The data, or an Error carrying the first error's code. */
  async run<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await this.request<T>(query, variables);
    if (response.errors?.length) {
      const first = response.errors[0];
      const err = new Error(`${first.extensions?.code ?? 'ERROR'}: ${first.message}`) as Error & { code?: string };
      err.code = first.extensions?.code;
      throw err;
    }
    return response.data as T;
  }

  async signIn(email: string, password: string): Promise<GraphQLClient> {
    const data = await this.run<{ signIn: { token: string } }>(
      'mutation SignIn($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }',
      { email, password },
    );
    return this.withToken(data.signIn.token);
  }
}
