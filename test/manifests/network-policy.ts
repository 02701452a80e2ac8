// A small NetworkPolicy evaluator (networking.k8s.io/v1 semantics) for the manifest tests: which
// (pod → pod:port) connections the rendered policies admit. Pods are described by namespace and
// labels; addresses outside the cluster by an IP.
import type { K8sObject } from './render.js';

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}
interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface PolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: PolicyPort[];
}
interface PolicySpec {
  podSelector: LabelSelector;
  policyTypes?: ('Ingress' | 'Egress')[];
  ingress?: Rule[];
  egress?: Rule[];
}

/** A pod (namespace + labels) or, without a namespace, an address outside the cluster. */
export interface Endpoint {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  ip: string;
}

/** Does a label selector select these labels? (An empty selector selects everything.) */
export function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpressions = (selector.matchExpressions ?? []).every((e) => {
    const value = labels[e.key];
    switch (e.operator) {
      case 'In':
        return value !== undefined && (e.values ?? []).includes(value);
      case 'NotIn':
        return value === undefined || !(e.values ?? []).includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
    }
  });
  return byLabels && byExpressions;
}

const ipToNumber = (ip: string) => ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipToNumber(base!) / size) * size;
  const n = ipToNumber(ip);
  return n >= start && n < start + size;
}

export class PolicySet {
  private readonly policies: { namespace: string; spec: PolicySpec }[];
  private readonly namespaceLabels: Map<string, Record<string, string>>;

  /** `objects`: the rendered NetworkPolicies and Namespaces; `extraNamespaces`: ones the cluster brings (kube-system). */
  constructor(objects: readonly K8sObject[], extraNamespaces: Record<string, Record<string, string>> = {}) {
    this.policies = objects
      .filter((o) => o.kind === 'NetworkPolicy')
      .map((o) => ({ namespace: o.metadata.namespace ?? 'default', spec: o['spec'] as PolicySpec }));
    this.namespaceLabels = new Map(
      objects
        .filter((o) => o.kind === 'Namespace')
        // The API server labels every namespace with its own name.
        .map((o) => [o.metadata.name, { ...o.metadata.labels, 'kubernetes.io/metadata.name': o.metadata.name }]),
    );
    for (const [name, labels] of Object.entries(extraNamespaces)) {
      this.namespaceLabels.set(name, { ...labels, 'kubernetes.io/metadata.name': name });
    }
  }

  private peerMatches(peer: Peer, policyNamespace: string, other: Endpoint): boolean {
    if (peer.ipBlock) {
      return inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(other.ip, c));
    }
    if (other.namespace === undefined) return false;
    const namespaceOk = peer.namespaceSelector
      ? selects(peer.namespaceSelector, this.namespaceLabels.get(other.namespace) ?? { 'kubernetes.io/metadata.name': other.namespace })
      : other.namespace === policyNamespace;
    return namespaceOk && (peer.podSelector ? selects(peer.podSelector, other.labels ?? {}) : true);
  }

  private static portMatches(ports: PolicyPort[] | undefined, port: number, protocol: string): boolean {
    if (!ports || ports.length === 0) return true;
    return ports.some((p) => {
      if ((p.protocol ?? 'TCP') !== protocol) return false;
      if (p.port === undefined) return true;
      if (typeof p.port === 'string') throw new Error(`named port ${p.port}: the evaluator (and these policies) use numbers`);
      return p.endPort === undefined ? p.port === port : port >= p.port && port <= p.endPort;
    });
  }

  /** Whether one direction admits the connection: isolated pods need a rule that matches; others admit all. */
  private admits(direction: 'Ingress' | 'Egress', pod: Endpoint, other: Endpoint, port: number, protocol: string): boolean {
    if (pod.namespace === undefined) return true; // outside the cluster: not ours to police
    const applicable = this.policies.filter(
      (p) =>
        p.namespace === pod.namespace &&
        selects(p.spec.podSelector, pod.labels ?? {}) &&
        (p.spec.policyTypes ?? (p.spec.egress ? ['Ingress', 'Egress'] : ['Ingress'])).includes(direction),
    );
    if (applicable.length === 0) return true;
    return applicable.some(({ namespace, spec }) =>
      (direction === 'Ingress' ? spec.ingress : spec.egress)?.some((rule) => {
        const peers = direction === 'Ingress' ? rule.from : rule.to;
        const peerOk = !peers || peers.length === 0 || peers.some((peer) => this.peerMatches(peer, namespace, other));
        return peerOk && PolicySet.portMatches(rule.ports, port, protocol);
      }),
    );
  }

  /** May `from` open a connection to `to` on `port`? Both the caller's egress and the callee's ingress must admit it. */
  allows(from: Endpoint, to: Endpoint, port: number, protocol = 'TCP'): boolean {
    return this.admits('Egress', from, to, port, protocol) && this.admits('Ingress', to, from, port, protocol);
  }
}
