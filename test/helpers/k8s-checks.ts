import { configVariables, parseConfig } from '@cascade/kernel';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { K8sObject } from './kustomize';

/**
 * What test/k8s.test.ts checks on a built set of Kubernetes objects: each against the
 * Kubernetes schemas (kubernetes-models, offline), and Cascade's own invariants. Each check
 * returns its problems, one line each, so a test can also show that a planted fault is found.
 */
export const ROOT = path.resolve(__dirname, '../..');

// ---- schemas ----------------------------------------------------------------------------

/** Problems of each object against its kind's schema (unknown kinds are problems too). */
export function schemaProblems(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const o of objects) {
    let models: Record<string, any>;
    try {
      // kubernetes-models/<group>/<version> (core: kubernetes-models/v1) exports one class per kind
      models = require(`kubernetes-models/${o.apiVersion}`);
    } catch {
      problems.push(`${o.kind} ${o.metadata?.name}: no schema for apiVersion ${o.apiVersion}`);
      continue;
    }
    const Model = models[o.kind];
    if (!Model) {
      problems.push(`${o.kind} ${o.metadata?.name}: no kind ${o.kind} in ${o.apiVersion}`);
      continue;
    }
    try {
      new Model(o).validate();
    } catch (err) {
      problems.push(`${o.kind} ${o.metadata?.name}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  return problems;
}

// ---- selectors and pods -------------------------------------------------------------------

type Selector = { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };

export function selects(selector: Selector | undefined, labels: Record<string, string> = {}): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    if (e.operator === 'In' && !(has && e.values!.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && e.values!.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** A pod the manifests create: its workload, labels, namespace and its container(s). */
export interface Pod {
  owner: K8sObject;
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  spec: any;
}

export function pods(objects: K8sObject[]): Pod[] {
  return objects
    .filter((o) => o.kind === 'Deployment' || o.kind === 'Job')
    .map((o) => ({ owner: o, name: o.metadata.name, namespace: o.metadata.namespace, labels: o.spec.template.metadata?.labels ?? {}, spec: o.spec.template.spec }));
}

const byKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);

// ---- workloads: probes, limits, security -------------------------------------------------

function securityProblems(pod: Pod): string[] {
  const problems: string[] = [];
  const where = `${pod.owner.kind} ${pod.name}`;
  const podSecurity = pod.spec.securityContext ?? {};
  if (podSecurity.runAsNonRoot !== true) problems.push(`${where}: pod securityContext.runAsNonRoot is not true`);
  if (!(podSecurity.runAsUser > 0)) problems.push(`${where}: pod securityContext.runAsUser is not a non-root uid`);
  if (podSecurity.seccompProfile?.type !== 'RuntimeDefault') problems.push(`${where}: seccompProfile is not RuntimeDefault`);
  if (pod.spec.automountServiceAccountToken !== false) problems.push(`${where}: mounts a service account token`);
  for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    const s = c.securityContext ?? {};
    if (s.readOnlyRootFilesystem !== true) problems.push(`${where}/${c.name}: readOnlyRootFilesystem is not true`);
    if (s.allowPrivilegeEscalation !== false) problems.push(`${where}/${c.name}: allowPrivilegeEscalation is not false`);
    if (s.privileged === true) problems.push(`${where}/${c.name}: privileged`);
    if (!s.capabilities?.drop?.includes('ALL')) problems.push(`${where}/${c.name}: capabilities do not drop ALL`);
    if (s.capabilities?.add?.length) problems.push(`${where}/${c.name}: adds capabilities`);
    for (const kind of ['requests', 'limits'])
      for (const resource of ['cpu', 'memory']) if (!c.resources?.[kind]?.[resource]) problems.push(`${where}/${c.name}: no ${resource} ${kind}`);
    if (!/^[^:@]+(:[\w][\w.-]*|@sha256:[0-9a-f]{64})$/.test(c.image) || c.image.endsWith(':latest')) problems.push(`${where}/${c.name}: image ${c.image} is not pinned to a tag or digest`);
  }
  return problems;
}

function probeProblems(d: K8sObject): string[] {
  const problems: string[] = [];
  const c = d.spec.template.spec.containers[0];
  const ports = new Map<string | number, number>((c.ports ?? []).flatMap((p: any) => [[p.name, p.containerPort], [p.containerPort, p.containerPort]]));
  for (const [probe, route] of [['livenessProbe', '/healthz'], ['readinessProbe', '/readyz']]) {
    const get = c[probe]?.httpGet;
    if (!get) problems.push(`Deployment ${d.metadata.name}: no ${probe}`);
    else if (get.path !== route || !ports.has(get.port)) problems.push(`Deployment ${d.metadata.name}: ${probe} is not GET ${route} on its own port`);
  }
  if (!c.startupProbe?.httpGet) problems.push(`Deployment ${d.metadata.name}: no startupProbe (a slow start would fail liveness)`);
  return problems;
}

/** Every Deployment: probes, limits, non-root, read-only; a Service, an HPA and a PDB of its own. */
export function workloadProblems(objects: K8sObject[]): string[] {
  const problems = pods(objects).flatMap(securityProblems);
  for (const d of byKind(objects, 'Deployment')) {
    const name = d.metadata.name;
    const labels = d.spec.template.metadata?.labels ?? {};
    problems.push(...probeProblems(d));
    if (!selects(d.spec.selector, labels)) problems.push(`Deployment ${name}: its selector does not select its own pods`);
    if (d.spec.replicas !== undefined) problems.push(`Deployment ${name}: sets replicas, which its HorizontalPodAutoscaler owns`);
    const hpas = byKind(objects, 'HorizontalPodAutoscaler').filter((h) => h.spec.scaleTargetRef?.kind === 'Deployment' && h.spec.scaleTargetRef?.name === name);
    if (hpas.length !== 1) problems.push(`Deployment ${name}: ${hpas.length} HorizontalPodAutoscalers (want 1)`);
    const min = hpas[0]?.spec.minReplicas ?? 1;
    if (hpas[0] && min < 2) problems.push(`Deployment ${name}: minReplicas ${min} (a single pod cannot be drained without an outage)`);
    if (hpas[0] && !hpas[0].spec.metrics?.length) problems.push(`Deployment ${name}: its HorizontalPodAutoscaler has no metric`);
    const pdbs = byKind(objects, 'PodDisruptionBudget').filter((p) => selects(p.spec.selector, labels));
    if (pdbs.length !== 1) problems.push(`Deployment ${name}: ${pdbs.length} PodDisruptionBudgets select its pods (want 1)`);
    const pdb = pdbs[0]?.spec;
    if (pdb && !(pdb.maxUnavailable >= 1 || (typeof pdb.minAvailable === 'number' && pdb.minAvailable < min))) problems.push(`Deployment ${name}: its PodDisruptionBudget allows no eviction at ${min} replicas`);
    const port = d.spec.template.spec.containers[0].ports?.[0];
    const service = byKind(objects, 'Service').find((s) => s.metadata.name === name);
    if (!service || !selects({ matchLabels: service.spec.selector }, labels)) problems.push(`Deployment ${name}: no Service named ${name} selecting its pods`);
    else if (!service.spec.ports.some((p: any) => p.port === port?.containerPort && (p.targetPort === port?.name || p.targetPort === port?.containerPort))) problems.push(`Service ${name}: does not expose port ${port?.containerPort}`);
  }
  return problems;
}

// ---- environment: what each process reads is there, and the kernel accepts it ------------

/** A value for each secret key, shaped as the kernel expects that variable. */
function secretPlaceholder(variable: string): string {
  if (variable === 'DATABASE_URL') return 'mysql://cascade:operator-password@mariadb:3306/cascade';
  if (variable === 'REDIS_URL') return 'redis://:operator-password@redis:6379';
  return 'set-by-operator-0123456789';
}

/** The environment a container starts with: literals, its ConfigMaps, Secrets as placeholders. */
export function containerEnv(container: any, objects: K8sObject[]): { env: Record<string, string>; secretKeys: string[]; problems: string[] } {
  const env: Record<string, string> = {};
  const secretKeys: string[] = [];
  const problems: string[] = [];
  const configMap = (name: string) => byKind(objects, 'ConfigMap').find((c) => c.metadata.name === name);
  for (const from of container.envFrom ?? []) {
    if (from.secretRef) problems.push(`${container.name}: takes a whole Secret (envFrom); name each key it needs`);
    const data = from.configMapRef && configMap(from.configMapRef.name)?.data;
    if (from.configMapRef && !data) problems.push(`${container.name}: ConfigMap ${from.configMapRef.name} does not exist`);
    Object.assign(env, data ?? {});
  }
  for (const e of container.env ?? []) {
    if ('value' in e) env[e.name] = String(e.value);
    else if (e.valueFrom?.secretKeyRef) {
      secretKeys.push(`${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`);
      env[e.name] = secretPlaceholder(e.name);
    } else if (e.valueFrom?.configMapKeyRef) {
      const value = configMap(e.valueFrom.configMapKeyRef.name)?.data?.[e.valueFrom.configMapKeyRef.key];
      if (value === undefined) problems.push(`${container.name}: ${e.name} names a ConfigMap key that does not exist`);
      else env[e.name] = value;
    } else problems.push(`${container.name}: ${e.name} has no value`);
  }
  return { env, secretKeys, problems };
}

/** The variables production refuses to start without, asked of the kernel one refusal at a time. */
export function productionRequired(): string[] {
  const env: Record<string, string> = { NODE_ENV: 'production' };
  const required: string[] = [];
  for (let i = 0; i <= configVariables.length; i++) {
    try {
      parseConfig(env);
      return required;
    } catch (err) {
      const m = /Invalid configuration: ([A-Z0-9_]+) is required when NODE_ENV=production/.exec((err as Error).message);
      if (!m) throw err;
      required.push(m[1]);
      env[m[1]] = 'a-value-of-the-operators-0123';
    }
  }
  throw new Error('productionRequired: the kernel kept refusing');
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/** The `config.X` variables a process's own source reads (its directory, not the kernel's). */
export function variablesRead(sourceDir: string): Set<string> {
  const read = new Set<string>();
  for (const file of sourceFiles(path.join(ROOT, sourceDir))) for (const m of readFileSync(file, 'utf8').matchAll(/\bconfig\.([A-Z][A-Z0-9_]+)\b/g)) read.add(m[1]);
  return read;
}

/** The Cascade services (services/<name>/src/main.ts), the kernel aside. */
export function serviceNames(): string[] {
  return readdirSync(path.join(ROOT, 'services')).filter((name) => {
    try {
      return statSync(path.join(ROOT, 'services', name, 'src/main.ts')).isFile();
    } catch {
      return false;
    }
  });
}

/**
 * What a process on Kubernetes cannot run without: what production requires of every process,
 * Redis (replicas share the bus), the database (services), every address its code reads
 * (<SUBGRAPH>_URL, PUBLIC_URL), and for media an S3 bucket (the root filesystem is read-only,
 * and replicas must share the files).
 */
export function requiredInCluster(process: string): string[] {
  const isService = serviceNames().includes(process);
  const urls = [...variablesRead(isService ? `services/${process}/src` : process === 'gateway' ? 'gateway/src' : '.nowhere')].filter((v) => v.endsWith('_URL'));
  return [...new Set([...productionRequired(), 'REDIS_URL', ...(isService ? ['DATABASE_URL'] : []), ...urls, ...(process === 'media' ? ['S3_BUCKET'] : [])])];
}

/** Seconds a process may spend draining after SIGTERM (the kernel's bound, where it has one). */
export function drainSeconds(config: object): number {
  return Number((config as Record<string, unknown>).DRAIN_TIMEOUT_SECONDS ?? 0);
}

/** Kubernetes kills a pod terminationGracePeriodSeconds after the preStop hook starts: the pause and the drain must fit. */
function drainProblems(pod: Pod, container: any, config: object): string[] {
  if (pod.owner.kind !== 'Deployment') return [];
  const grace = pod.spec.terminationGracePeriodSeconds ?? 30;
  const [command, seconds] = container.lifecycle?.preStop?.exec?.command ?? [];
  const pause = command === 'sleep' ? Number(seconds) : 0;
  const needed = pause + drainSeconds(config) + 5;
  return grace >= needed ? [] : [`terminationGracePeriodSeconds ${grace} < preStop ${pause} s + drain ${drainSeconds(config)} s + 5 s`];
}

export function environmentProblems(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const pod of pods(objects)) {
    for (const c of pod.spec.containers) {
      const where = `${pod.owner.kind} ${pod.name}/${c.name}`;
      const { env, problems: own } = containerEnv(c, objects);
      problems.push(...own.map((p) => `${pod.owner.kind} ${pod.name}/${p}`));
      for (const key of Object.keys(env)) if (!configVariables.includes(key as any)) problems.push(`${where}: unknown variable ${key}`);
      try {
        problems.push(...drainProblems(pod, c, parseConfig(env)).map((p) => `${where}: ${p}`));
      } catch (err) {
        problems.push(`${where}: ${(err as Error).message}`);
      }
      // a Deployment runs the process it is named after; the migration Job one per service
      const process = pod.owner.kind === 'Job' ? c.name : pod.name;
      const required = pod.owner.kind === 'Job' ? [...productionRequired(), 'DATABASE_URL'] : requiredInCluster(process);
      for (const variable of required) if (!env[variable]) problems.push(`${where}: ${variable} is required and not provided`);
    }
  }
  return problems;
}
