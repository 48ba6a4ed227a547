import { z } from 'zod';

/**
 * Every environment variable Cascade reads, in one schema. A process validates its
 * environment at start; a bad value stops it with one line naming the variable.
 * docker-compose.yml is checked against this schema by a test.
 */
const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

const port = z.coerce.number().int().min(0).max(65535);

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(4000),
  SUBGRAPH_PORTS: port.default(4001),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^mysql:\/\/[^/]+\/[A-Za-z0-9_]+$/, 'must look like mysql://user:pass@host:port/prefix')
    .optional(),
  /** How long a start waits for the database server to answer (it may start after us), with back-off. */
  DATABASE_WAIT_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  /**
   * Apply pending migrations when a service starts (under the migration lock). Default: true,
   * except with NODE_ENV=production, where the deploy runs `migrate up` once (README,
   * Operations: Migrations) and a service on a schema older than it needs refuses to start.
   */
  MIGRATE_ON_START: bool.optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  /** Prefix of the Redis pub/sub channels (deployments sharing one Redis keep apart by it). */
  EVENT_CHANNEL_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only').default('cascade'),
  /** Durable events (Redis Streams): an event delivered but not acknowledged this long (its consumer died, or failed) is delivered again. */
  STREAM_CLAIM_IDLE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  JWT_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  INTERNAL_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(30 * 24 * 3600).default(12 * 3600),
  ROOT_ADMIN_EMAIL: z.string().email().default('root@cascade.local'),
  /** No default here: development falls back to DEV_DEFAULTS, production must set its own. */
  ROOT_ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
  DEMO_DATA: bool.optional(),
  /** Browser origins allowed to call the gateway (CORS); by default none is. */
  CORS_ORIGINS: z
    .string()
    .transform((list) => list.split(',').map((origin) => origin.trim()).filter(Boolean))
    .refine((origins) => origins.every(isOrigin), 'must be origins like https://app.example, comma-separated (no *, path or trailing slash)')
    .default(''),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Bearer token that reads /metrics on every process; unset: /metrics answers 404 (README, Observability). */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').regex(/^\S+$/, 'must have no spaces').optional(),
  /** OTLP/HTTP collector for traces (standard OpenTelemetry variables); unset: no tracing. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().url().optional(),
  /** Subgraph addresses the gateway routes to when they run as their own processes. */
  /** The gateway's public address, prefixed to screen links (relative links when unset). */
  PUBLIC_URL: z.string().url().optional(),
  ORG_URL: z.string().url().optional(),
  CAMPAIGNS_URL: z.string().url().optional(),
  FEEDS_URL: z.string().url().optional(),
  MEDIA_URL: z.string().url().optional(),
  REPORTS_URL: z.string().url().optional(),
  /** Media storage: S3-compatible when S3_BUCKET is set, else local disk under DATA_DIR/media. */
  S3_ENDPOINT: z.string().url().regex(/^https?:\/\//, 'must start with http:// or https://').optional(),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name').optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  /** Path-style addressing (http://host/bucket/key), as MinIO and most S3-compatible servers expect. */
  S3_FORCE_PATH_STYLE: bool.default('true'),
  /** With S3: an asset's `url` is an S3 presigned GET (the bucket must be reachable by clients). */
  MEDIA_S3_PRESIGNED_DOWNLOADS: bool.default('false'),
  /** Largest upload per kind of content, in bytes (images; video; PDF and office documents). */
  MEDIA_MAX_IMAGE_BYTES: z.coerce.number().int().min(1024).max(2147483647).default(30 * 1024 * 1024),
  MEDIA_MAX_VIDEO_BYTES: z.coerce.number().int().min(1024).max(2147483647).default(1024 * 1024 * 1024),
  MEDIA_MAX_DOCUMENT_BYTES: z.coerce.number().int().min(1024).max(2147483647).default(100 * 1024 * 1024),
  /** Lifetimes of the signed upload and download URLs. */
  MEDIA_UPLOAD_URL_TTL_SECONDS: z.coerce.number().int().min(5).max(24 * 3600).default(15 * 60),
  MEDIA_DOWNLOAD_URL_TTL_SECONDS: z.coerce.number().int().min(5).max(24 * 3600).default(10 * 60),
  /** Lifetime of a report's signed .docx download URL (Report.downloadUrl). */
  REPORT_DOWNLOAD_URL_TTL_SECONDS: z.coerce.number().int().min(5).max(24 * 3600).default(10 * 60),
  /** Subscriptions one client socket may hold at once. */
  MAX_SUBSCRIPTIONS_PER_SOCKET: z.coerce.number().int().min(1).max(1000).default(20),
  MAX_SUBSCRIPTIONS_PER_USER: z.coerce.number().int().min(1).max(10000).default(100),
  /** WebSockets one client address may hold open before signing in (connection_init). */
  MAX_PENDING_SOCKETS_PER_ADDRESS: z.coerce.number().int().min(1).max(10000).default(32),
  /** Largest JSON body accepted on /graphql, and largest WebSocket message, in bytes. */
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(256 * 1024),
  /** The gateway's automatic persisted queries: documents kept at most, least recently used out first. */
  PERSISTED_QUERIES_MAX_DOCUMENTS: z.coerce.number().int().min(1).max(1000000).default(2000),
  /** ... and bytes of their text kept at most, all together (a larger document is run, never kept). */
  PERSISTED_QUERIES_MAX_BYTES: z.coerce.number().int().min(1024).max(2147483647).default(8 * 1024 * 1024),
  /** The gateway: request headers, and a whole /graphql body, must arrive within this. */
  REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  /** The gateway: an upload or download through /media/* may be silent this long (no total bound). */
  MEDIA_IDLE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** signIn: failed attempts one email may make within SIGNIN_WINDOW_SECONDS before RATE_LIMITED. */
  SIGNIN_MAX_FAILURES: z.coerce.number().int().min(1).max(10000).default(10),
  /** signIn: failed attempts one client address may make within the window (any emails). */
  SIGNIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(1000000).default(100),
  /** signIn: the window the failures are counted in, from the first failure. */
  SIGNIN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(24 * 3600).default(15 * 60),
  /** The gateway: how long it trusts a user's token version and role before asking org again. */
  TOKEN_STATUS_CACHE_SECONDS: z.coerce.number().int().min(1).max(60).default(30),
});

/** `scheme://host[:port]` exactly as a browser sends it in Origin (so a match is a plain comparison). */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) && url.origin === value;
  } catch {
    return false;
  }
}

/** What development and tests run on when a variable is unset. Production refuses to (see below). */
const DEV_DEFAULTS = { ROOT_ADMIN_PASSWORD: 'cascade-root', DEMO_DATA: true };

/**
 * Secret values Cascade ships — the code's defaults, docker-compose.yml's defaults until
 * issue 10 (deployments made from it still hold them), the README, the demo data — and so
 * every reader knows. Production refuses any of them for any secret (a forged root token
 * needs only JWT_SECRET). Test and bench values are not shipped (a test runs production on them).
 */
const PUBLISHED_SECRETS = new Set([
  'cascade-root',
  'cascade-demo',
  'insecure-dev-jwt-secret-change-me',
  'insecure-dev-internal-secret-change-me',
]);

export type Config = Omit<z.infer<typeof configSchema>, 'ROOT_ADMIN_PASSWORD' | 'DEMO_DATA'> & {
  ROOT_ADMIN_PASSWORD: string;
  DEMO_DATA: boolean;
};

/** Names of every variable the schema knows, for the docker-compose check. */
export const configVariables = Object.keys(configSchema.shape) as (keyof Config)[];

export class ConfigError extends Error {}

/** Parses the environment; throws a ConfigError whose message is one line naming the variable. */
export function parseConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned: Record<string, string> = {};
  for (const key of configVariables) {
    const value = env[key];
    if (value !== undefined && value !== '') cleaned[key] = value;
  }
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigError(`Invalid configuration: ${issue.path.join('.')} ${issue.message}`);
  }
  const parsed = result.data;
  if (parsed.NODE_ENV !== 'production') return { ...DEV_DEFAULTS, ...definedOnly(parsed) } as Config;
  const refusal = productionRefusal(parsed);
  if (refusal) throw new ConfigError(`Invalid configuration: ${refusal}`);
  return { ...parsed, ROOT_ADMIN_PASSWORD: parsed.ROOT_ADMIN_PASSWORD!, DEMO_DATA: false };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Why production must not start with this configuration ("VARIABLE reason"), or null. The
 * reason names the variable, never its value. Demo data is off unless asked for, and asking
 * is refused: its admins all share one published password.
 */
function productionRefusal(config: z.infer<typeof configSchema>): string | null {
  for (const variable of ['JWT_SECRET', 'INTERNAL_SECRET', 'ROOT_ADMIN_PASSWORD'] as const) {
    const value = config[variable];
    if (!value) return `${variable} is required when NODE_ENV=production`;
    if (PUBLISHED_SECRETS.has(value)) return `${variable} is a value published with Cascade; set a secret of your own when NODE_ENV=production`;
  }
  if (config.ROOT_ADMIN_PASSWORD!.toLowerCase() === config.ROOT_ADMIN_EMAIL.toLowerCase()) {
    return 'ROOT_ADMIN_PASSWORD must not be the root email';
  }
  if (config.DEMO_DATA) return 'DEMO_DATA must be false when NODE_ENV=production (the demo accounts share a published password)';
  return null;
}

/** For process entry points: parse or print the one line and exit. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(err.message + '\n');
      process.exit(1);
    }
    throw err;
  }
}
