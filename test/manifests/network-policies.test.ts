// The rendered NetworkPolicies, evaluated: exactly the intended flows are possible, nothing else.
import { describe, expect, it } from 'vitest';
import { PolicySet, inCidr, type Endpoint } from './network-policy.js';
import { OVERLAYS, parseObjects, podTemplates, renderOverlay } from './render.js';

const KUBE_SYSTEM = { 'kube-system': {} };
const kubeDns: Endpoint = { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ip: '10.96.0.10' };
const internet: Endpoint = { name: 'www.googleapis.com', ip: '142.250.74.42' };
const client: Endpoint = { name: 'browser', ip: '203.0.113.7' };
// Envoy of a gateway installed in the labelled `gateway` namespace, and one in a namespace nobody labelled.
const envoy: Endpoint = { name: 'envoy', namespace: 'gateway', labels: { app: 'envoy' }, ip: '10.244.0.2' };
const strayEnvoy: Endpoint = { name: 'unlabelled-envoy', namespace: 'projectcontour', labels: { app: 'envoy' }, ip: '10.244.0.3' };
const rogue: Endpoint = { name: 'rogue', namespace: 'default', labels: { run: 'rogue' }, ip: '10.244.0.4' };

/** Every flow the system needs, as "caller → callee:port". Anything else must be refused. */
const INTENDED = [
  'envoy → frontend:8080',
  'envoy → public-api:8081',
  'envoy → secure-api:8082',
  'envoy → auth-service:50051',
  'public-api → auth-service:50051',
  'public-api → event-consumer:8083',
  'public-api → mysql:3306',
  'public-api → redis:6379',
  'public-api → nats:4222',
  'secure-api → auth-service:50051',
  'secure-api → public-api:8091',
  'secure-api → mysql:3306',
  'secure-api → nats:4222',
  'auth-service → redis:6379',
  'auth-service → nats:4222',
  'event-consumer → mysql:3306',
  'event-consumer → redis:6379',
  'event-consumer → nats:4222',
].sort();

describe.each(OVERLAYS.filter((o) => o !== 'prod'))('overlays/%s network policies', (overlay) => {
  const objects = renderOverlay(overlay);
  const policies = new PolicySet(objects, { ...KUBE_SYSTEM, default: {}, projectcontour: {} });
  const pods: (Endpoint & { ports: number[] })[] = podTemplates(objects).map((w, i) => ({
    name: w.owner.metadata.name,
    namespace: w.namespace,
    labels: w.labels,
    ip: `10.244.1.${i + 10}`,
    ports: w.spec.containers.flatMap((c) => (c.ports ?? []).map((p) => p.containerPort)),
  }));
  const pod = (name: string) => pods.find((p) => p.name === name)!;

  it('when every workload tries every declared port of every other, then exactly the intended flows get through', () => {
    const allowed: string[] = [];
    for (const from of [envoy, ...pods]) {
      for (const to of pods) {
        for (const port of to.ports) if (policies.allows(from, to, port)) allowed.push(`${from.name} → ${to.name}:${port}`);
      }
    }
    expect(allowed.sort()).toEqual(INTENDED);
  });

  it("when anything but secure-api calls public-api's internal port, then it is refused", () => {
    expect(policies.allows(pod('secure-api'), pod('public-api'), 8091)).toBe(true);
    for (const caller of [envoy, rogue, pod('frontend'), pod('auth-service'), pod('event-consumer'), pod('public-api')]) {
      expect(policies.allows(caller, pod('public-api'), 8091), caller.name).toBe(false);
    }
  });

  it("when anything but public-api calls event-consumer's read API, then it is refused", () => {
    expect(policies.allows(pod('public-api'), pod('event-consumer'), 8083)).toBe(true);
    for (const caller of [envoy, rogue, pod('frontend'), pod('auth-service'), pod('secure-api')]) {
      expect(policies.allows(caller, pod('event-consumer'), 8083), caller.name).toBe(false);
    }
  });

  it('when the frontend or the gateway reaches for a datastore, then it is refused', () => {
    for (const store of ['mysql', 'redis', 'nats']) {
      for (const caller of [pod('frontend'), envoy, rogue]) {
        expect(policies.allows(caller, pod(store), pod(store).ports[0]!), `${caller.name} → ${store}`).toBe(false);
      }
    }
  });

  it('when a client on the internet connects, then only the gateway answers', () => {
    expect(policies.allows(client, envoy, 8080)).toBe(true);
    expect(policies.allows(client, pod('public-api'), 8081)).toBe(false);
    expect(policies.allows(client, pod('frontend'), 8080)).toBe(false);
  });

  it('when Envoy runs in a namespace without the gateway label, then the services refuse it', () => {
    expect(policies.allows(strayEnvoy, pod('public-api'), 8081)).toBe(false);
  });

  it('when any pod resolves a name, then DNS to kube-dns is allowed on UDP and TCP 53', () => {
    for (const p of [envoy, ...pods]) {
      expect(policies.allows(p, kubeDns, 53, 'UDP'), p.name).toBe(true);
      expect(policies.allows(p, kubeDns, 53, 'TCP'), p.name).toBe(true);
    }
  });

  it("when auth-service fetches Google's keys, then HTTPS egress is allowed for it alone", () => {
    expect(policies.allows(pod('auth-service'), internet, 443)).toBe(true);
    for (const name of ['public-api', 'secure-api', 'event-consumer', 'frontend', 'mysql']) {
      expect(policies.allows(pod(name), internet, 443), name).toBe(false);
    }
    // Not a way around the policies into the cluster's private ranges.
    expect(policies.allows(pod('auth-service'), { name: 'in-cluster', ip: '10.244.9.9' }, 443)).toBe(false);
  });
});

describe('overlays/prod network policies', () => {
  it('when the datastores are managed services, then each service reaches only its datastore ports in their range', () => {
    const objects = renderOverlay('prod');
    const policies = new PolicySet(objects, KUBE_SYSTEM);
    const db: Endpoint = { name: 'managed', ip: '10.20.3.4' };
    const at = (name: string) => {
      const w = podTemplates(objects).find((t) => t.owner.kind === 'Deployment' && t.owner.metadata.name === name)!;
      return { name, namespace: w.namespace, labels: w.labels, ip: '10.244.1.1' };
    };
    expect(policies.allows(at('public-api'), db, 3306)).toBe(true);
    expect(policies.allows(at('secure-api'), db, 6379)).toBe(false);
    expect(policies.allows(at('frontend'), db, 3306)).toBe(false);
    expect(policies.allows(at('event-consumer'), { name: 'elsewhere', ip: '10.30.0.1' }, 3306)).toBe(false);
  });
});

describe('the evaluator itself', () => {
  const [ns, deny, allow] = parseObjects(`
apiVersion: v1
kind: Namespace
metadata: {name: a}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: a}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow, namespace: a}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
    - from: [{podSelector: {matchExpressions: [{key: app, operator: In, values: [api]}]}}]
      ports: [{port: 5000, endPort: 5010}]
`);
  const api: Endpoint = { name: 'api', namespace: 'a', labels: { app: 'api' }, ip: '10.0.0.1' };
  const db: Endpoint = { name: 'db', namespace: 'a', labels: { app: 'db' }, ip: '10.0.0.2' };
  const other: Endpoint = { name: 'other', namespace: 'b', labels: { app: 'api' }, ip: '10.0.0.3' };

  it('when no policy selects a pod, then it admits everything; once one does, only matching rules admit', () => {
    expect(new PolicySet([ns!]).allows(other, db, 1)).toBe(true);
    const set = new PolicySet([ns!, deny!, allow!]);
    expect(set.allows(api, db, 5005)).toBe(true);
    expect(set.allows(api, db, 5011)).toBe(false);
    expect(set.allows(other, db, 5005)).toBe(false); // a bare podSelector means the policy's own namespace
    expect(set.allows(db, api, 5005)).toBe(false);
  });

  it('when an address is tested against a CIDR, then the prefix length is honoured', () => {
    expect(inCidr('10.20.255.1', '10.20.0.0/16')).toBe(true);
    expect(inCidr('10.21.0.1', '10.20.0.0/16')).toBe(false);
    expect(inCidr('1.2.3.4', '0.0.0.0/0')).toBe(true);
  });
});
