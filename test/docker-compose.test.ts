import { configVariables, parseConfig } from '@cascade/kernel';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { drainSeconds } from './helpers/k8s-checks';

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

/** Secrets compose hands to Cascade, MariaDB and SeaweedFS: none may have a default. */
const SECRETS = ['JWT_SECRET', 'INTERNAL_SECRET', 'ROOT_ADMIN_PASSWORD', 'MARIADB_PASSWORD', 'MARIADB_ROOT_PASSWORD', 'S3_SECRET_ACCESS_KEY'];

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

/** The MariaDB release this machine's tests run on (CI's `mariadb --version`), if it has one. */
function testedMariaDb(): string | null {
  try {
    return /Distrib (\d+\.\d+\.\d+)-MariaDB/.exec(execFileSync('mariadb', ['--version'], { encoding: 'utf8' }))?.[1] ?? null;
  } catch {
    return null;
  }
}

it('runs the MariaDB release CI tests on, and Redis', () => {
  const [name, tag] = compose.services.mariadb.image.split(':');
  expect(name).toBe('mariadb');
  const tested = testedMariaDb();
  // Debian updated CI's MariaDB? Move compose to the same release (its image tags follow MariaDB's).
  if (tested) expect(tag).toBe(tested);
  expect(compose.services.redis.image).toMatch(/^redis:7\./);
  expect(compose.services.mysql).toBeUndefined();
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
    // the list above, and whatever compose interpolates that is named like a secret
    const named = [...raw.matchAll(/\$\{([A-Z0-9_]*(?:PASSWORD|SECRET|TOKEN)[A-Z0-9_]*)/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(0);
    for (const secret of new Set([...SECRETS, ...named])) {
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

/** Issue 15 item 7: a withdrawn image, floating tags, an unsupported Node. */
describe('images', () => {
  /** Projects that number each release major.minor: the two numbers are one exact release. */
  const TWO_PART_RELEASES: Record<string, string> = { 'chrislusf/seaweedfs': 'SeaweedFS releases are numbered 4.44, 4.45, …' };

  /** Why a reference does not name one exact release (null when it does). */
  function floating(reference: string): string | null {
    if (/@sha256:[0-9a-f]{64}$/.test(reference)) return null;
    const m = /^([^:@]+):([^:@]+)$/.exec(reference);
    if (!m) return 'no tag (means latest)';
    const [, name, tag] = m;
    if (/^\d+\.\d+\.\d+(-[a-z0-9.-]+)?$/.test(tag)) return null;
    if (TWO_PART_RELEASES[name] && /^\d+\.\d+$/.test(tag)) return null;
    return `tag ${tag} is not one release`;
  }

  it('finds floating references (the check can fail)', () => {
    expect(['minio/minio', 'redis:7', 'mariadb:10.11', 'node:24-slim', 'x:latest', 'chrislusf/seaweedfs:latest'].map(floating).every((why) => why !== null)).toBe(true);
    expect(['redis:7.4.6', 'node:24.19.0-trixie-slim', 'chrislusf/seaweedfs:4.44', `x@sha256:${'a'.repeat(64)}`].map(floating)).toEqual([null, null, null, null]);
  });

  it('pins every image compose pulls to one release', () => {
    const pulled = Object.entries(compose.services).filter(([, s]: [string, any]) => !s.build);
    expect(pulled.length).toBeGreaterThanOrEqual(3);
    for (const [name, service] of pulled as [string, any][]) expect({ name, image: service.image, floating: floating(service.image) }).toEqual({ name, image: service.image, floating: null });
  });

  it('stores media on SeaweedFS, not the withdrawn MinIO images', () => {
    expect(JSON.stringify(compose.services)).not.toMatch(/minio/i);
    const endpoint = new URL(interpolate(compose.services.media.environment.S3_ENDPOINT));
    const store = compose.services[endpoint.hostname];
    expect(store.image).toMatch(/^chrislusf\/seaweedfs:/);
    // media signs as the one identity SeaweedFS is started with, on the port its health is checked
    expect(store.environment.AWS_ACCESS_KEY_ID).toBe(compose.services.media.environment.S3_ACCESS_KEY_ID);
    expect(store.environment.AWS_SECRET_ACCESS_KEY).toBe(compose.services.media.environment.S3_SECRET_ACCESS_KEY);
    expect(store.healthcheck.test.join(' ')).toContain(`:${endpoint.port}/`);
    expect(interpolate(compose.services.media.environment.S3_FORCE_PATH_STYLE ?? 'true')).toBe('true');
  });

  it('gives every Cascade process time to drain before it is killed', () => {
    const drain = drainSeconds(parseConfig({}));
    for (const [name, service] of cascadeServices(compose)) {
      const grace = /^(\d+)s$/.exec(service.stop_grace_period ?? '10s');
      expect({ name, enough: !!grace && Number(grace[1]) >= drain + 5 }).toEqual({ name, enough: true });
    }
  });

  it('checks the health of every service', () => {
    for (const [name, service] of Object.entries(compose.services) as [string, any][]) {
      expect({ name, test: Array.isArray(service.healthcheck?.test) && service.healthcheck.test[0] !== 'NONE' }).toEqual({ name, test: true });
    }
  });

  describe('infra/Dockerfile', () => {
    const dockerfile = readFileSync(path.join(ROOT, 'infra/Dockerfile'), 'utf8');
    const stages = dockerfile.split(/^(?=FROM )/m).filter((s) => s.startsWith('FROM '));
    const runtime = stages[stages.length - 1];

    it('builds on a supported Node LTS, pinned, the same in every stage', () => {
      const bases = stages.map((s) => /^FROM (\S+)/.exec(s)![1]);
      for (const base of bases) expect({ base, floating: floating(base) }).toEqual({ base, floating: null });
      expect(new Set(bases).size).toBe(1); // the addon compiled in the build stage runs in the runtime stage
      expect(bases[0]).toMatch(/^node:(22|24)\./);
    });

    it('installs production dependencies from the lockfile in a runtime stage without a compiler', () => {
      expect(stages.length).toBeGreaterThanOrEqual(2);
      expect(runtime).toMatch(/npm ci --omit=dev/);
      expect(runtime).not.toMatch(/apt-get install|g\+\+|\bmake\b/);
      expect(runtime).toMatch(/^USER (?!root|0\b)\d+:\d+$/m);
    });
  });
});
