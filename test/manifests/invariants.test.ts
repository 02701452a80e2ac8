// What every rendered overlay must hold for the pods to run safely and find what they reference.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configSchema as authServiceSchema } from '../../services/auth-service/src/config.js';
import { configSchema as eventConsumerSchema } from '../../services/event-consumer/src/config.js';
import { configSchema as publicApiSchema } from '../../services/public-api/src/config.js';
import { configSchema as secureApiSchema } from '../../services/secure-api/src/config.js';
import { key, OVERLAYS, ofKind, podTemplates, renderOverlay, type Container, type K8sObject, type Overlay } from './render.js';

/** The Tekton pipeline's namespace (.tekton/namespace.yaml), installed apart from the app. */
const PIPELINE_NAMESPACE = 'testbed-ci';

/** Secrets that the cluster provides, not the overlay: made by hand, a secret store or cert-manager. */
const EXTERNAL_SECRETS: Record<Overlay, string[]> = {
  // docs/deploy-kubernetes.md: `kubectl apply -k manifests/secrets/firebase-dev`.
  dev: ['auth/firebase-service-account'],
  'dev-emissary': ['auth/firebase-service-account'],
  // External Secrets / Sealed Secrets (docs/deploy-kubernetes.md).
  prod: ['auth/firebase-service-account', 'auth/datastores', 'public-api/datastores', 'secure-api/datastores', 'event-consumer/datastores'],
};

/**
 * Keys of the lead's contracts (rules.md) that the services' schemas gain in other branches of this
 * change: allowed here until then, after which each is simply in its schema.
 */
const CONTRACT_KEYS = ['HOST', 'INTERNAL_PORT', 'AUTH_GRPC_ADDR', 'TRUSTED_PROXY_HOPS', 'SHUTDOWN_DELAY_MS', 'SHUTDOWN_TIMEOUT_MS'];

/** Read by the OpenTelemetry SDK that the telemetry preload starts, not by the services' schemas. */
const OPENTELEMETRY_KEYS = ['OTEL_SERVICE_NAME', 'OTEL_SDK_DISABLED', 'OTEL_EXPORTER_OTLP_ENDPOINT'];

const SCHEMAS: Record<string, z.ZodType> = {
  'auth-service': authServiceSchema,
  'public-api': publicApiSchema,
  'secure-api': secureApiSchema,
  'event-consumer': eventConsumerSchema,
};

/** The object schema inside a service's config schema (auth-service wraps its object in a transform). */
function objectShape(schema: z.ZodType): Record<string, z.ZodType> {
  const def = (schema as unknown as { def: { type: string; in?: z.ZodType; shape?: Record<string, z.ZodType> } }).def;
  if (def.type === 'pipe' && def.in) return objectShape(def.in);
  if (def.shape) return def.shape;
  throw new Error(`unexpected config schema type ${def.type}`);
}

/** Keys a service's schema cannot do without: parsing `undefined` for them fails (no default, not optional). */
export const requiredKeys = (schema: z.ZodType) =>
  Object.entries(objectShape(schema))
    .filter(([, field]) => !field.safeParse(undefined).success)
    .map(([name]) => name);

const mib = (quantity: string) => {
  const m = /^(\d+(?:\.\d+)?)(Mi|Gi|Ki|M|G)?$/.exec(quantity);
  if (!m) throw new Error(`unexpected quantity ${quantity}`);
  const factor = { Ki: 1 / 1024, Mi: 1, Gi: 1024, M: 0.953674, G: 953.674 }[m[2] ?? 'Mi'] ?? 1;
  return Number(m[1]) * factor;
};

function environment(objects: readonly K8sObject[], namespace: string, container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  const configMap = (name: string) =>
    ofKind(objects, 'ConfigMap').find((c) => c.metadata.namespace === namespace && c.metadata.name === name)?.['data'] as Record<string, string> | undefined;
  const secret = (name: string) => {
    const s = ofKind(objects, 'Secret').find((c) => c.metadata.namespace === namespace && c.metadata.name === name);
    if (!s) return undefined;
    const data = Object.fromEntries(Object.entries((s['data'] ?? {}) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
    return { ...data, ...((s['stringData'] ?? {}) as Record<string, string>) };
  };
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) Object.assign(env, configMap(source.configMapRef.name));
    if (source.secretRef) Object.assign(env, secret(source.secretRef.name));
  }
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef ?? variable.valueFrom?.configMapKeyRef;
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (variable.valueFrom?.configMapKeyRef && ref) env[variable.name] = configMap(ref.name)?.[ref.key] ?? '';
    else if (ref) {
      // An external Secret's value is unknown here; a well-formed stand-in keeps the schema check honest.
      const stand_in = { MYSQL_URL: 'mysql://u@db:3306/x', REDIS_URL: 'redis://r:6379', NATS_URL: 'nats://n:4222' }[variable.name];
      env[variable.name] = secret(ref.name)?.[ref.key] ?? stand_in ?? 'external';
    }
  }
  return env;
}

describe.each(OVERLAYS)('overlays/%s', (overlay) => {
  const objects = renderOverlay(overlay);
  const workloads = podTemplates(objects);
  const services = workloads.filter((w) => w.owner.kind === 'Deployment');
  const exists = (kind: string, namespace: string, name: string) =>
    objects.some((o) => o.kind === kind && o.metadata.namespace === namespace && o.metadata.name === name);

  it('when rendered, then every namespace enforces the restricted Pod Security Standard', () => {
    const namespaces = ofKind(objects, 'Namespace');
    expect(namespaces.map((n) => n.metadata.name).sort()).toEqual(['auth', 'event-consumer', 'frontend', 'gateway', 'infra', 'public-api', 'secure-api']);
    for (const ns of namespaces) expect(ns.metadata.labels?.['pod-security.kubernetes.io/enforce'], ns.metadata.name).toBe('restricted');
    // testbed-ci is the delivery pipeline's namespace, created by .tekton (baseline, for Kaniko);
    // prod routes GitHub's webhook into it (components/gateway-contour/tekton-webhook).
    const used = new Set(objects.map((o) => o.metadata.namespace).filter((ns) => ns && ns !== PIPELINE_NAMESPACE));
    for (const ns of used)
      expect(
        namespaces.map((n) => n.metadata.name),
        `namespace ${ns} is declared`,
      ).toContain(ns);
  });

  it('when rendered, then every pod runs non-root, read-only, without privileges, with limits', () => {
    for (const { owner, spec } of workloads) {
      const name = key(owner);
      expect(spec.automountServiceAccountToken, name).toBe(false);
      expect(spec.securityContext?.['runAsNonRoot'], name).toBe(true);
      expect(spec.securityContext?.['runAsUser'], name).toBeGreaterThan(0);
      expect(spec.securityContext?.seccompProfile?.type, name).toBe('RuntimeDefault');
      for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
        const where = `${name} container ${c.name}`;
        expect(c.securityContext, where).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(c.resources?.requests?.['cpu'], where).toBeDefined();
        expect(c.resources?.requests?.['memory'], where).toBeDefined();
        expect(c.resources?.limits?.['cpu'], where).toBeDefined();
        expect(mib(c.resources!.limits!['memory']!), where).toBeGreaterThanOrEqual(mib(c.resources!.requests!['memory']!));
      }
      for (const c of spec.containers) {
        const where = `${name} container ${c.name}`;
        const tmp = c.volumeMounts?.find((m) => m.mountPath === '/tmp');
        expect(tmp, `${where} has a writable /tmp`).toBeDefined();
        expect(spec.volumes?.find((v) => v.name === tmp!.name)?.emptyDir, where).toBeDefined();
      }
    }
  });

  it('when rendered, then every long-running container has startup, readiness and liveness probes and drains in its grace period', () => {
    for (const { owner, spec } of workloads.filter((w) => w.owner.kind !== 'Job')) {
      for (const c of spec.containers) {
        const where = `${key(owner)} container ${c.name}`;
        expect(c.startupProbe, where).toBeDefined();
        expect(c.readinessProbe, where).toBeDefined();
        expect(c.livenessProbe, where).toBeDefined();
      }
    }
    for (const { owner, spec, namespace } of services) {
      const where = key(owner);
      expect(spec.terminationGracePeriodSeconds, where).toBe(30);
      expect(spec.topologySpreadConstraints?.length, where).toBeGreaterThan(0);
      const [main] = spec.containers;
      const preStop = main!.lifecycle?.preStop?.sleep?.seconds ?? 0;
      expect(preStop, `${where} pauses before SIGTERM`).toBeGreaterThan(0);
      if (namespace === 'frontend') continue;
      const env = environment(objects, namespace, main!);
      const budget = preStop + Number(env['SHUTDOWN_DELAY_MS']) / 1000 + Number(env['SHUTDOWN_TIMEOUT_MS']) / 1000;
      expect(Number(env['SHUTDOWN_DELAY_MS']), where).toBe(5000);
      expect(budget, `${where}: preStop + SHUTDOWN_DELAY_MS + SHUTDOWN_TIMEOUT_MS fit the grace period`).toBeLessThan(30);
    }
  });

  it('when rendered, then auth-service is probed over gRPC health and the APIs over /readyz and /healthz', () => {
    const main = (name: string) => services.find((s) => s.owner.metadata.name === name)!.spec.containers[0]!;
    expect(main('auth-service').readinessProbe).toMatchObject({ grpc: { port: 50051 } });
    for (const name of ['public-api', 'secure-api', 'event-consumer']) {
      expect(main(name).readinessProbe, name).toMatchObject({ httpGet: { path: '/readyz' } });
      expect(main(name).livenessProbe, name).toMatchObject({ httpGet: { path: '/healthz' } });
    }
  });

  it('when rendered, then the APIs have a PodDisruptionBudget and a HorizontalPodAutoscaler', () => {
    for (const name of ['auth-service', 'public-api', 'secure-api']) {
      const deployment = services.find((s) => s.owner.metadata.name === name)!;
      const pdb = ofKind(objects, 'PodDisruptionBudget').find((p) => p.metadata.namespace === deployment.namespace);
      const hpa = ofKind(objects, 'HorizontalPodAutoscaler').find((h) => h.metadata.namespace === deployment.namespace);
      expect((pdb?.['spec'] as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels, name).toEqual({
        'app.kubernetes.io/name': name,
      });
      expect((hpa?.['spec'] as { scaleTargetRef: { name: string } }).scaleTargetRef.name, name).toBe(name);
    }
  });

  it('when rendered, then every Service selects pods and targets a port they declare', () => {
    for (const service of ofKind(objects, 'Service')) {
      const spec = service['spec'] as { selector: Record<string, string>; ports: { port: number; targetPort: string | number }[] };
      const pods = workloads.filter((w) => w.namespace === service.metadata.namespace && Object.entries(spec.selector).every(([k, v]) => w.labels[k] === v));
      expect(pods.length, `${key(service)} selects pods`).toBeGreaterThan(0);
      for (const port of spec.ports) {
        for (const pod of pods) {
          const declared = pod.spec.containers.flatMap((c) => c.ports ?? []);
          expect(
            declared.some((p) => p.name === port.targetPort || p.containerPort === port.targetPort),
            `${key(service)} port ${port.port} → ${port.targetPort} on ${key(pod.owner)}`,
          ).toBe(true);
        }
      }
    }
  });

  it('when rendered, then every referenced ConfigMap, Secret and ServiceAccount exists', () => {
    const missing: string[] = [];
    for (const { owner, spec, namespace } of workloads) {
      const need = (kind: string, name: string) => {
        if (kind === 'Secret' && EXTERNAL_SECRETS[overlay].includes(`${namespace}/${name}`)) return;
        if (kind === 'Secret' && ofKind(objects, 'Certificate').some((c) => (c['spec'] as { secretName: string }).secretName === name)) return;
        if (!exists(kind, namespace, name)) missing.push(`${key(owner)} → ${kind} ${namespace}/${name}`);
      };
      if (owner.kind !== 'StatefulSet') need('ServiceAccount', spec.serviceAccountName ?? 'default');
      for (const volume of spec.volumes ?? []) {
        if (volume.configMap) need('ConfigMap', volume.configMap.name);
        if (volume.secret) need('Secret', volume.secret.secretName);
      }
      for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
        for (const source of c.envFrom ?? []) {
          if (source.configMapRef) need('ConfigMap', source.configMapRef.name);
          if (source.secretRef) need('Secret', source.secretRef.name);
        }
        for (const variable of c.env ?? []) {
          if (variable.valueFrom?.configMapKeyRef) need('ConfigMap', variable.valueFrom.configMapKeyRef.name);
          if (variable.valueFrom?.secretKeyRef) need('Secret', variable.valueFrom.secretKeyRef.name);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it.each(Object.keys(SCHEMAS))("when rendered, then %s's environment sets every key its config requires and parses", (name) => {
    const deployment = services.find((s) => s.owner.metadata.name === name)!;
    const env = environment(objects, deployment.namespace, deployment.spec.containers[0]!);
    for (const required of requiredKeys(SCHEMAS[name]!)) expect(env[required], `${name} ${required}`).toBeTruthy();
    const parsed = SCHEMAS[name]!.safeParse(env);
    expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
    expect(env['HOST']).toBe('0.0.0.0');
    if (name === 'public-api' || name === 'secure-api') expect(env['TRUSTED_PROXY_HOPS']).toBe('1');
  });

  it.each(Object.keys(SCHEMAS))('when rendered, then every variable set for %s is one it reads', (name) => {
    const deployment = services.find((s) => s.owner.metadata.name === name)!;
    const env = environment(objects, deployment.namespace, deployment.spec.containers[0]!);
    const known = new Set([...Object.keys(objectShape(SCHEMAS[name]!)), ...CONTRACT_KEYS, ...OPENTELEMETRY_KEYS]);
    expect(Object.keys(env).filter((k) => !known.has(k))).toEqual([]);
  });

  it('when rendered, then service addresses are cluster DNS names and secure-api calls the internal port', () => {
    const env = (name: string) => {
      const d = services.find((s) => s.owner.metadata.name === name)!;
      return environment(objects, d.namespace, d.spec.containers[0]!);
    };
    expect(env('secure-api')['AUTH_GRPC_ADDR']).toBe('auth-service.auth.svc.cluster.local:50051');
    expect(env('public-api')['AUTH_GRPC_ADDR']).toBe('auth-service.auth.svc.cluster.local:50051');
    expect(env('secure-api')['PUBLIC_API_URL']).toBe('http://public-api.public-api.svc.cluster.local:8091');
    expect(env('public-api')['INTERNAL_PORT']).toBe('8091');
    expect(env('public-api')['READ_MODELS_URL']).toBe('http://event-consumer.event-consumer.svc.cluster.local:8083');
  });

  it('when rendered, then auth-service reads the Firebase service account from a mounted Secret file', () => {
    const auth = services.find((s) => s.owner.metadata.name === 'auth-service')!;
    const env = environment(objects, 'auth', auth.spec.containers[0]!);
    const mount = auth.spec.containers[0]!.volumeMounts!.find((m) => env['GOOGLE_APPLICATION_CREDENTIALS']!.startsWith(`${m.mountPath}/`));
    expect(auth.spec.volumes!.find((v) => v.name === mount?.name)?.secret?.secretName).toBe('firebase-service-account');
  });
});

describe('the requiredKeys derivation', () => {
  it('when a key has no default and is not optional, then it is required; defaults and optionals are not', () => {
    expect(requiredKeys(z.object({ A: z.string(), B: z.string().optional(), C: z.string().default('c') }))).toEqual(['A']);
    // event-consumer's server URLs are all or none (its in-memory mode); a production environment
    // without them fails its schema's refinement instead, which the rendered-environment test parses.
    expect(requiredKeys(eventConsumerSchema)).toEqual([]);
    expect(requiredKeys(publicApiSchema)).toEqual([]);
    expect(eventConsumerSchema.safeParse({ NODE_ENV: 'production' }).success).toBe(false);
  });
});

describe('overlays/prod', () => {
  const objects = renderOverlay('prod');

  it('when rendered, then every image is pinned by digest', () => {
    for (const { owner, spec } of podTemplates(objects)) {
      for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) expect(c.image, key(owner)).toMatch(/@sha256:[0-9a-f]{64}$/);
    }
  });

  it('when rendered, then every service runs at least two replicas', () => {
    for (const deployment of ofKind(objects, 'Deployment')) {
      const hpa = ofKind(objects, 'HorizontalPodAutoscaler').find(
        (h) => (h['spec'] as { scaleTargetRef: { name: string } }).scaleTargetRef.name === deployment.metadata.name,
      );
      const replicas = hpa ? (hpa['spec'] as { minReplicas: number }).minReplicas : ((deployment['spec'] as { replicas?: number }).replicas ?? 1);
      expect(replicas, key(deployment)).toBeGreaterThanOrEqual(2);
    }
  });

  it('when rendered, then each service with migrations has an Argo CD PreSync Job running its migrate entry point', () => {
    const jobs = ofKind(objects, 'Job');
    expect(jobs.map((j) => j.metadata.namespace).sort()).toEqual(['event-consumer', 'public-api', 'secure-api']);
    for (const job of jobs) {
      expect(job.metadata.annotations?.['argocd.argoproj.io/hook']).toBe('PreSync');
      const [c] = podTemplates([job])[0]!.spec.containers;
      expect(c!.command).toEqual(['node', 'dist/migrate.js']);
    }
  });

  it('when rendered, then a cert-manager Certificate provides the TLS secret the root HTTPProxy serves', () => {
    const proxy = ofKind(objects, 'HTTPProxy').find((p) => p.metadata.name === 'testbed')!;
    const tls = (proxy['spec'] as { virtualhost: { tls: { secretName: string } } }).virtualhost.tls.secretName;
    const certificate = ofKind(objects, 'Certificate').find((c) => (c['spec'] as { secretName: string }).secretName === tls);
    expect(certificate?.metadata.namespace).toBe(proxy.metadata.namespace);
    const issuer = (certificate!['spec'] as { issuerRef: { name: string } }).issuerRef.name;
    expect(ofKind(objects, 'Issuer').map((i) => i.metadata.name)).toContain(issuer);
  });
});
