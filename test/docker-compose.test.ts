import { configVariables, parseConfig } from '@cascade/kernel';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * No Docker engine runs here: docker-compose.yml is kept right by reading it. Every Cascade
 * process's environment must be one the kernel's configuration schema accepts.
 */
const ROOT = path.resolve(__dirname, '..');
const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true });

const raw = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');

/**
 * `${VAR:-default}` → the default; `${VAR:?message}` (the operator must set it) → `operatorValue`,
 * a value of the operator's own unless a test passes another.
 */
function interpolate(value: string, operatorValue = 'set-by-operator-0123456789'): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::-([^}]*)|:\?[^}]*)?\}/g, (_m, _name, fallback) => fallback ?? operatorValue);
}

/** Secrets compose hands to Cascade, MySQL and MinIO: none may have a default. */
const SECRETS = ['JWT_SECRET', 'INTERNAL_SECRET', 'ROOT_ADMIN_PASSWORD', 'MYSQL_PASSWORD', 'MYSQL_ROOT_PASSWORD', 'MINIO_ROOT_PASSWORD'];

function cascadeServices(doc: any): [string, any][] {
  return Object.entries(doc.services).filter(([, s]: [string, any]) => s.build?.dockerfile === 'infra/Dockerfile');
}

/** Problems with one compose document (empty when it is right). */
function check(doc: any, operatorValue?: string): string[] {
  const problems: string[] = [];
  for (const [name, service] of cascadeServices(doc)) {
    const env: Record<string, string> = Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), operatorValue)]));
    for (const key of Object.keys(env)) if (!configVariables.includes(key as any)) problems.push(`${name}: unknown variable ${key}`);
    try {
      parseConfig(env);
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
    }
    const entry = service.command?.[1];
    if (!entry || !existsSync(path.join(ROOT, entry))) problems.push(`${name}: command file ${entry} does not exist`);
  }
  return problems;
}

it('runs MySQL 8 and Redis', () => {
  expect(compose.services.mysql.image).toMatch(/^mysql:8/);
  expect(compose.services.redis.image).toMatch(/^redis:/);
});

it('runs every subgraph and the gateway, each with a configuration the kernel accepts', () => {
  const names = cascadeServices(compose).map(([name]) => name).sort();
  expect(names).toEqual(expect.arrayContaining(['campaigns', 'feeds', 'gateway', 'media', 'org']));
  expect(check(compose)).toEqual([]);
});

it('points the gateway at each subgraph by service name and port', () => {
  const env = compose.services.gateway.environment;
  for (const [variable, service] of [['ORG_URL', 'org'], ['CAMPAIGNS_URL', 'campaigns'], ['MEDIA_URL', 'media'], ['FEEDS_URL', 'feeds']]) {
    const url = new URL(env[variable]);
    expect(url.hostname).toBe(service);
    expect(url.port).toBe(String(compose.services[service].environment.PORT));
  }
});

it('builds an image whose runtime stage does not run as root', () => {
  const dockerfile = readFileSync(path.join(ROOT, 'infra/Dockerfile'), 'utf8');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
  expect(runtime).toMatch(/^USER (?!root|0\b)\S+/m);
});

it('catches a misspelt variable and a short secret (the check can fail)', () => {
  const broken = JSON.parse(JSON.stringify(compose));
  broken.services.org.environment.DATABSE_URL = 'mysql://x@y/z';
  broken.services.gateway.environment.JWT_SECRET = 'short';
  const problems = check(broken);
  expect(problems).toEqual(expect.arrayContaining([expect.stringContaining('org: unknown variable DATABSE_URL'), expect.stringContaining('gateway: Invalid configuration: JWT_SECRET')]));
});

/** Issue 10, item 4: the compose file ran production on secrets printed in it. */
describe('secrets', () => {
  it('has no default for any secret: compose stops until the operator sets each (${VAR:?…})', () => {
    for (const secret of SECRETS) {
      const uses = [...raw.matchAll(new RegExp(`\\$\\{${secret}(:?[-?=+]?)`, 'g'))].map((m) => m[1]);
      expect({ secret, uses: uses.length > 0 && uses.every((form) => form === ':?') }).toEqual({ secret, uses: true });
    }
  });

  it('gives every Cascade process the secrets production requires, in production, without demo data', () => {
    for (const [name, service] of cascadeServices(compose)) {
      const env = service.environment;
      expect({ name, NODE_ENV: env.NODE_ENV }).toEqual({ name, NODE_ENV: 'production' });
      for (const secret of ['JWT_SECRET', 'INTERNAL_SECRET', 'ROOT_ADMIN_PASSWORD']) expect({ name, [secret]: String(env[secret]) }).toEqual({ name, [secret]: expect.stringMatching(/^\$\{[A-Z_]+:\?/) });
      expect(parseConfig(Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(String(v))]))).DEMO_DATA).toBe(false);
    }
  });

  it.each(['cascade-root', 'insecure-dev-jwt-secret-change-me', 'insecure-dev-internal-secret-change-me'])(
    'every Cascade process refuses to start when the operator sets the published value %p',
    (published) => {
      const problems = check(compose, published);
      expect(problems).toHaveLength(cascadeServices(compose).length);
      for (const problem of problems) expect(problem).toMatch(/Invalid configuration: (JWT_SECRET|INTERNAL_SECRET|ROOT_ADMIN_PASSWORD) /);
    },
  );
});
