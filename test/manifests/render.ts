// Renders kustomize overlays the way Argo CD and skaffold do (`kubectl kustomize`) and parses the
// result, for the manifest tests.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const MANIFESTS = join(REPO_ROOT, 'manifests');
export const OVERLAYS = ['dev', 'dev-emissary', 'prod'] as const;
export type Overlay = (typeof OVERLAYS)[number];
/** Overlays that add an opt-in component to one of the above (a skaffold profile each); loadgenerator.test.ts checks its part. */
export const OPT_IN_OVERLAYS = ['dev-loadgen', 'dev-observability'] as const;
export type OptInOverlay = (typeof OPT_IN_OVERLAYS)[number];
/** Every folder under manifests/overlays/. */
export const ALL_OVERLAYS = [...OVERLAYS, ...OPT_IN_OVERLAYS] as const;

/** A rendered Kubernetes object; fields are read defensively by the tests. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** Parses a multi-document YAML stream into objects, skipping empty documents. */
export function parseObjects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`invalid YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
      return doc.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

/**
 * `kubectl kustomize <dir>` (kubectl ≥ 1.27 embeds kustomize v5). Throws a readable error when kubectl
 * is missing or the build fails.
 */
export function kustomize(dir: string, flags: readonly string[] = []): K8sObject[] {
  const kubectl = process.env['KUBECTL'] ?? 'kubectl';
  const result = spawnSync(kubectl, ['kustomize', ...flags, dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) {
    throw new Error(`cannot run "${kubectl} kustomize": ${result.error.message}. Install kubectl ≥ 1.27 (it embeds kustomize) or set KUBECTL.`);
  }
  if (result.status !== 0) throw new Error(`kubectl kustomize ${dir} failed:\n${result.stderr}`);
  return parseObjects(result.stdout);
}

const cache = new Map<Overlay | OptInOverlay, K8sObject[]>();

/** The rendered objects of `manifests/overlays/<overlay>`, rendered once per test file. */
export function renderOverlay(overlay: Overlay | OptInOverlay): K8sObject[] {
  let objects = cache.get(overlay);
  if (!objects) {
    objects = kustomize(join(MANIFESTS, 'overlays', overlay));
    cache.set(overlay, objects);
  }
  return objects;
}

export const ofKind = (objects: readonly K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);

export const key = (o: Pick<K8sObject, 'kind' | 'metadata'>) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** Workloads' pod templates: Deployments, StatefulSets and Jobs. */
export interface PodTemplate {
  owner: K8sObject;
  namespace: string;
  labels: Record<string, string>;
  spec: PodSpec;
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  env?: { name: string; value?: string; valueFrom?: { configMapKeyRef?: { name: string; key: string }; secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
  startupProbe?: Record<string, unknown>;
  readinessProbe?: Record<string, unknown>;
  livenessProbe?: Record<string, unknown>;
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

export interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  terminationGracePeriodSeconds?: number;
  securityContext?: Record<string, unknown> & { seccompProfile?: { type: string } };
  containers: Container[];
  initContainers?: Container[];
  topologySpreadConstraints?: unknown[];
  volumes?: { name: string; emptyDir?: unknown; configMap?: { name: string }; secret?: { secretName: string; optional?: boolean } }[];
}

export function podTemplates(objects: readonly K8sObject[]): PodTemplate[] {
  return objects
    .filter((o) => ['Deployment', 'StatefulSet', 'Job'].includes(o.kind))
    .map((owner) => {
      const template = (owner['spec'] as { template: { metadata?: { labels?: Record<string, string> }; spec: PodSpec } }).template;
      return { owner, namespace: owner.metadata.namespace ?? 'default', labels: template.metadata?.labels ?? {}, spec: template.spec };
    });
}
