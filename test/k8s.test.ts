import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { environmentProblems, pods, ROOT, schemaProblems, selects, serviceNames, workloadProblems } from './helpers/k8s-checks';
import { build, K8sObject, readYamlDocuments } from './helpers/kustomize';
import { dataTierProblems, networkProblems } from './helpers/network-policy';

/**
 * infra/k8s (issue 15 item 8), checked offline: every YAML parses, the kustomize base and the
 * production overlay build (test/helpers/kustomize.ts), every object validates against the
 * Kubernetes schemas (kubernetes-models), and Cascade's invariants hold on what is built.
 */
const K8S = path.join(ROOT, 'infra/k8s');
const base = build(path.join(K8S, 'base'));
const production = build(path.join(K8S, 'overlays/production'));
const [secretTemplate] = readYamlDocuments(path.join(K8S, 'secrets.template.yaml'));

/**
 * Commands the Job names before they exist (none since `migrate` landed, issue 15 item 6). A
 * command that exists and is still listed fails.
 */
const PENDING_COMMANDS = new Set<string>();

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const full = path.join(dir, e);
    return statSync(full).isDirectory() ? yamlFiles(full) : /\.ya?ml$/.test(e) ? [full] : [];
  });
}

const s3Port = (objects: K8sObject[]) => {
  const url = new URL(objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'cascade-config')!.data.S3_ENDPOINT);
  return Number(url.port || (url.protocol === 'https:' ? 443 : 80));
};

/** Every check, on one build. */
function problems(objects: K8sObject[]): string[] {
  return [...schemaProblems(objects), ...workloadProblems(objects), ...environmentProblems(objects), ...networkProblems(objects), ...dataTierProblems(objects, s3Port(objects))];
}

const clone = <T>(value: T): T => structuredClone(value);
const find = (objects: K8sObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)!;

it('parses every YAML file under infra/k8s', () => {
  const files = yamlFiles(K8S);
  expect(files.length).toBeGreaterThan(10);
  for (const file of files) expect(() => readYamlDocuments(file)).not.toThrow();
});

it('builds a Deployment, Service, HPA and PDB for the gateway and every service', () => {
  const names = ['gateway', ...serviceNames()].sort();
  for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget'])
    expect(production.filter((o) => o.kind === kind).map((o) => o.metadata.name).sort()).toEqual(names);
  expect(production.filter((o) => o.kind === 'NetworkPolicy').length).toBeGreaterThan(names.length);
  expect(production.filter((o) => o.kind === 'Job').map((o) => o.metadata.name)).toEqual(['cascade-migrate']);
  expect(production.every((o) => o.kind === 'Namespace' || o.metadata.namespace === 'cascade')).toBe(true);
});

it.each([
  ['base', base],
  ['production', production],
])('%s: every object validates against the Kubernetes schemas and every invariant holds', (_name, objects) => {
  expect(problems(objects)).toEqual([]);
});

it('production pins the image and keeps every Deployment safe to drain', () => {
  for (const pod of pods(production)) for (const c of pod.spec.containers) expect(c.image).toBe('registry.example.org/cascade:0.1.0');
  const gatewayHpa = find(production, 'HorizontalPodAutoscaler', 'gateway');
  expect(gatewayHpa.spec.minReplicas).toBeGreaterThanOrEqual(3);
  expect(find(production, 'ConfigMap', 'cascade-config').data.PUBLIC_URL).toMatch(/^https:\/\//);
});

it('runs each process by its entry point, and the migration Job one `migrate up` per service', () => {
  for (const d of production.filter((o) => o.kind === 'Deployment')) {
    const [node, entry] = d.spec.template.spec.containers[0].command;
    expect({ d: d.metadata.name, node, exists: existsSync(path.join(ROOT, entry)) }).toEqual({ d: d.metadata.name, node: 'node', exists: true });
  }
  const job = find(production, 'Job', 'cascade-migrate').spec.template.spec;
  expect(job.containers.map((c: any) => c.name).sort()).toEqual(serviceNames().sort());
  for (const c of job.containers) {
    const [, entry, ...args] = c.command;
    expect({ service: c.name, entry, args }).toEqual({ service: c.name, entry: expect.stringContaining(`services/${c.name}/`), args: ['up'] });
    // pending until the command exists; once it does, it must be taken off the pending list
    const pending = PENDING_COMMANDS.has(entry);
    expect({ entry, exists: existsSync(path.join(ROOT, entry)), pending }).toEqual({ entry, exists: !pending, pending });
  }
});

it('deploys in two steps: everything the migration Job needs first, the processes after it', () => {
  // README: kubectl apply -k … -l 'app.kubernetes.io/component notin (gateway,subgraph)'
  const first = production.filter((o) => selects({ matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'NotIn', values: ['gateway', 'subgraph'] }] }, o.metadata.labels));
  expect(first.filter((o) => o.kind === 'Deployment')).toEqual([]);
  const job = find(first, 'Job', 'cascade-migrate');
  expect(job).toBeDefined();
  const has = (kind: string, name: string) => first.some((o) => o.kind === kind && o.metadata.name === name);
  expect(has('Namespace', 'cascade') && has('ServiceAccount', job.spec.template.spec.serviceAccountName)).toBe(true);
  for (const c of job.spec.template.spec.containers) for (const from of c.envFrom) expect(has('ConfigMap', from.configMapRef.name)).toBe(true);
  // its way to MariaDB and DNS is open in the first step
  expect(dataTierProblems(first, s3Port(first))).toEqual([]);
});

describe('the Secret template', () => {
  const refs = (objects: K8sObject[]) =>
    new Set(
      pods(objects).flatMap((p) =>
        [...(p.spec.initContainers ?? []), ...p.spec.containers].flatMap((c: any) => (c.env ?? []).filter((e: any) => e.valueFrom?.secretKeyRef).map((e: any) => `${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`)),
      ),
    );

  it('lists exactly the keys the manifests read, every one without a value', () => {
    expect(secretTemplate.kind).toBe('Secret');
    expect(schemaProblems([secretTemplate])).toEqual([]);
    const keys = Object.keys(secretTemplate.stringData).map((k) => `${secretTemplate.metadata.name}/${k}`);
    expect(keys.sort()).toEqual([...refs(production)].sort());
    expect(Object.values(secretTemplate.stringData).every((v) => v === '')).toBe(true);
  });

  it('is not part of any build, and no Secret with values is', () => {
    expect(production.concat(base).filter((o) => o.kind === 'Secret')).toEqual([]);
  });
});

/** The checks can fail: each planted fault is reported. */
describe('planted faults', () => {
  it('a Deployment without limits, probes, its read-only root or time to drain', () => {
    const broken = clone(production);
    const c = find(broken, 'Deployment', 'campaigns').spec.template.spec.containers[0];
    delete c.resources.limits;
    delete c.readinessProbe;
    c.securityContext.readOnlyRootFilesystem = false;
    find(broken, 'Deployment', 'campaigns').spec.template.spec.terminationGracePeriodSeconds = 3;
    expect(problems(broken)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Deployment campaigns\/campaigns: terminationGracePeriodSeconds 3 < preStop 5 s \+ drain \d+ s \+ 5 s$/),
        'Deployment campaigns/campaigns: no cpu limits',
        'Deployment campaigns/campaigns: no memory limits',
        'Deployment campaigns: no readinessProbe',
        'Deployment campaigns/campaigns: readOnlyRootFilesystem is not true',
      ]),
    );
  });

  it('an object the Kubernetes schema refuses', () => {
    const broken = clone(production);
    find(broken, 'Deployment', 'feeds').spec.template.spec.containers[0].ports[0].containerPort = 'four thousand';
    find(broken, 'HorizontalPodAutoscaler', 'media').spec.maxReplicas = undefined;
    const found = schemaProblems(broken);
    expect(found).toHaveLength(2);
    expect(found).toEqual(expect.arrayContaining([expect.stringMatching(/^Deployment feeds: .*containerPort must be integer/), expect.stringMatching(/^HorizontalPodAutoscaler media: .*maxReplicas/)]));
  });

  it('a Deployment with no HPA or PDB, and a floating image', () => {
    const broken = clone(production).filter((o) => !(['HorizontalPodAutoscaler', 'PodDisruptionBudget'].includes(o.kind) && o.metadata.name === 'reports'));
    find(broken, 'Deployment', 'org').spec.template.spec.containers[0].image = 'registry.example.org/cascade:latest';
    expect(workloadProblems(broken)).toEqual(
      expect.arrayContaining([
        'Deployment reports: 0 HorizontalPodAutoscalers (want 1)',
        'Deployment reports: 0 PodDisruptionBudgets select its pods (want 1)',
        'Deployment org/org: image registry.example.org/cascade:latest is not pinned to a tag or digest',
      ]),
    );
  });

  it('a subgraph open to every pod, and one its caller cannot reach', () => {
    const broken = clone(production);
    find(broken, 'NetworkPolicy', 'media-ingress').spec.ingress = [{ ports: [{ protocol: 'TCP', port: 4003 }] }];
    find(broken, 'NetworkPolicy', 'org-ingress').spec.ingress[0].from.pop();
    const found = networkProblems(broken);
    expect(found).toEqual(expect.arrayContaining([expect.stringMatching(/^media admits \[campaigns, feeds, gateway, org, reports\], want \[gateway, org\]/), 'media is reachable from outside the cluster', expect.stringMatching(/^org admits .*, want \[campaigns, feeds, gateway, reports\]/)]));
  });

  it('a process missing a variable it needs, and the gateway given the database', () => {
    const broken = clone(production);
    const feeds = find(broken, 'Deployment', 'feeds').spec.template.spec.containers[0];
    feeds.env = feeds.env.filter((e: any) => e.name !== 'ORG_URL' && e.name !== 'JWT_SECRET');
    find(broken, 'Deployment', 'gateway').spec.template.spec.containers[0].env.push({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'cascade-secrets', key: 'DATABASE_URL_ORG' } } });
    expect(environmentProblems(broken)).toEqual(expect.arrayContaining(['Deployment feeds/feeds: Invalid configuration: JWT_SECRET is required when NODE_ENV=production', 'Deployment feeds/feeds: ORG_URL is required and not provided']));
    // its policies give it no way to MariaDB: the check reports the mismatch
    expect(dataTierProblems(broken, s3Port(broken))).toEqual(['Deployment gateway cannot reach MariaDB (:3306)']);
  });
});
