import { K8sObject } from './kustomize';
import { containerEnv, Pod, pods, selects } from './k8s-checks';

/**
 * Kubernetes NetworkPolicy semantics, enough to answer "may this pod open a connection to that
 * one on this port?" for the manifests built here: a connection needs the source's egress and the
 * destination's ingress to allow it; a pod no policy selects (for that direction) is open.
 */
export interface Endpoint {
  name: string;
  namespace?: string;
  namespaceLabels: Record<string, string>;
  labels: Record<string, string>;
  /** not a pod: an address outside the cluster (ipBlock peers only) */
  external?: boolean;
}

export function endpointOf(pod: Pod, objects: K8sObject[]): Endpoint {
  return { name: pod.name, namespace: pod.namespace, labels: pod.labels, namespaceLabels: namespaceLabels(pod.namespace, objects) };
}

function namespaceLabels(namespace: string | undefined, objects: K8sObject[]): Record<string, string> {
  const ns = objects.find((o) => o.kind === 'Namespace' && o.metadata.name === namespace);
  return { ...(namespace ? { 'kubernetes.io/metadata.name': namespace } : {}), ...ns?.metadata.labels };
}

function peerMatches(peer: any, policyNamespace: string | undefined, other: Endpoint): boolean {
  if (peer.ipBlock) return !!other.external;
  if (other.external) return false;
  const sameNamespace = other.namespace === policyNamespace;
  if (peer.namespaceSelector) return selects(peer.namespaceSelector, other.namespaceLabels) && (!peer.podSelector || selects(peer.podSelector, other.labels));
  return sameNamespace && selects(peer.podSelector, other.labels);
}

function portMatches(ports: any[] | undefined, port: number, protocol: string): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => (p.protocol ?? 'TCP') === protocol && (p.port === undefined || p.port === port || (p.endPort !== undefined && p.port <= port && port <= p.endPort)));
}

function allows(objects: K8sObject[], direction: 'Ingress' | 'Egress', subject: Endpoint, other: Endpoint, port: number, protocol: string): boolean {
  if (subject.external) return true; // outside the cluster: no policy of ours applies
  const policies = objects.filter(
    (o) =>
      o.kind === 'NetworkPolicy' &&
      o.metadata.namespace === subject.namespace &&
      (o.spec.policyTypes ?? (direction === 'Ingress' ? ['Ingress'] : [])).includes(direction) &&
      (Object.keys(o.spec.podSelector ?? {}).length === 0 || selects(o.spec.podSelector, subject.labels)),
  );
  if (policies.length === 0) return true;
  const field = direction === 'Ingress' ? 'from' : 'to';
  return policies.some((p) =>
    (p.spec[direction === 'Ingress' ? 'ingress' : 'egress'] ?? []).some(
      (rule: any) => portMatches(rule.ports, port, protocol) && (!rule[field] || rule[field].length === 0 || rule[field].some((peer: any) => peerMatches(peer, p.metadata.namespace, other))),
    ),
  );
}

/** Whether `from` may open a connection to `to` on `port`. */
export function canConnect(objects: K8sObject[], from: Endpoint, to: Endpoint, port: number, protocol = 'TCP'): boolean {
  return allows(objects, 'Egress', from, to, port, protocol) && allows(objects, 'Ingress', to, from, port, protocol);
}

const SUBGRAPH_URL = /^([A-Z]+)_URL$/;

/**
 * Who may reach each subgraph must be exactly the gateway and the processes whose Deployment
 * names it (<SUBGRAPH>_URL, pointing at its Service and port); nobody from outside.
 */
export function networkProblems(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  const all = pods(objects);
  const endpoints = new Map(all.map((p) => [p.name, endpointOf(p, objects)]));
  const outside: Endpoint = { name: 'the internet', namespaceLabels: {}, labels: {}, external: true };
  const callers = new Map<string, Set<string>>();
  for (const pod of all) {
    const { env } = containerEnv(pod.spec.containers[0], objects);
    for (const [variable, value] of Object.entries(env)) {
      const m = SUBGRAPH_URL.exec(variable);
      if (!m || variable === 'PUBLIC_URL' || !endpoints.has(m[1].toLowerCase())) continue;
      const target = m[1].toLowerCase();
      const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === target);
      const url = new URL(value);
      if (url.hostname !== target || !service?.spec.ports.some((p: any) => String(p.port) === url.port)) problems.push(`${pod.name}: ${variable}=${value} is not the ${target} Service and its port`);
      callers.set(target, new Set([...(callers.get(target) ?? []), pod.name]));
    }
  }
  const gateway = all.find((p) => p.labels['app.kubernetes.io/component'] === 'gateway');
  if (!gateway) return ['no gateway Deployment'];
  const gatewayPort = gateway.spec.containers[0].ports[0].containerPort;
  if (!canConnect(objects, outside, endpoints.get(gateway.name)!, gatewayPort)) problems.push('clients cannot reach the gateway');
  // Prometheus in a namespace labelled for monitoring scrapes every process; a pod elsewhere in the cluster reaches none but the gateway
  const prometheus: Endpoint = { name: 'prometheus', namespace: 'monitoring', namespaceLabels: { 'kubernetes.io/metadata.name': 'monitoring', 'cascade.io/monitoring': 'true' }, labels: {} };
  const stranger: Endpoint = { name: 'a pod of another namespace', namespace: 'elsewhere', namespaceLabels: { 'kubernetes.io/metadata.name': 'elsewhere' }, labels: {} };
  for (const pod of all.filter((p) => p.owner.kind === 'Deployment')) {
    const port = pod.spec.containers[0].ports[0].containerPort;
    if (!canConnect(objects, prometheus, endpoints.get(pod.name)!, port)) problems.push(`Prometheus cannot scrape ${pod.name}`);
    if (pod.owner.spec.template.metadata?.annotations?.['prometheus.io/scrape'] !== 'true') problems.push(`${pod.name}: not annotated for scraping`);
    if (!canConnect(objects, endpoints.get(pod.name)!, prometheus, 4318)) problems.push(`${pod.name} cannot send traces to the collector (:4318)`);
    if (pod !== gateway && canConnect(objects, stranger, endpoints.get(pod.name)!, port)) problems.push(`${pod.name} is reachable from ${stranger.name}`);
  }
  for (const subgraph of all.filter((p) => p.labels['app.kubernetes.io/component'] === 'subgraph')) {
    const port = subgraph.spec.containers[0].ports[0].containerPort;
    const to = endpoints.get(subgraph.name)!;
    const expected = [gateway.name, ...(callers.get(subgraph.name) ?? [])].filter((n, i, a) => a.indexOf(n) === i && n !== subgraph.name).sort();
    const admitted = all.filter((p) => p.name !== subgraph.name && canConnect(objects, endpoints.get(p.name)!, to, port)).map((p) => p.name).sort();
    if (JSON.stringify(admitted) !== JSON.stringify(expected)) problems.push(`${subgraph.name} admits [${admitted.join(', ')}], want [${expected.join(', ')}]`);
    if (canConnect(objects, outside, to, port)) problems.push(`${subgraph.name} is reachable from outside the cluster`);
  }
  return problems;
}

/** Each process reaches DNS and the data tier it uses, and nothing else outside. */
export function dataTierProblems(objects: K8sObject[], s3Port: number): string[] {
  const problems: string[] = [];
  const dns: Endpoint = { name: 'kube-dns', namespace: 'kube-system', namespaceLabels: { 'kubernetes.io/metadata.name': 'kube-system' }, labels: { 'k8s-app': 'kube-dns' } };
  const dataTier: Endpoint = { name: 'data tier', namespace: 'cascade-data', namespaceLabels: { 'kubernetes.io/metadata.name': 'cascade-data', 'cascade.io/data-tier': 'true' }, labels: {} };
  const internet: Endpoint = { name: 'the internet', namespaceLabels: {}, labels: {}, external: true };
  for (const pod of pods(objects)) {
    const from = endpointOf(pod, objects);
    const env = Object.assign({}, ...pod.spec.containers.map((c: any) => containerEnv(c, objects).env));
    const want: [Endpoint, number, boolean, string][] = [
      [dns, 53, true, 'DNS'],
      [dataTier, 3306, !!env.DATABASE_URL, 'MariaDB'],
      [dataTier, 6379, !!env.REDIS_URL, 'Redis'],
      [dataTier, s3Port, !!env.S3_BUCKET && !!env.S3_SECRET_ACCESS_KEY, 'S3'],
      [internet, 443, false, 'the internet'],
    ];
    for (const [to, port, expected, what] of want) {
      const can = canConnect(objects, from, to, port, port === 53 ? 'UDP' : 'TCP');
      if (can !== expected) problems.push(`${pod.owner.kind} ${pod.name} ${can ? 'may reach' : 'cannot reach'} ${what} (:${port})`);
    }
  }
  return problems;
}
