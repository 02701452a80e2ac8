// components/loadgenerator, rendered in overlays/dev-loadgen (`skaffold dev -p loadgen`): it only adds
// its own objects, its pod is hardened like the services', its arguments are ones `pnpm loadgen`
// accepts, and it may reach the gateway, DNS and HTTPS on the internet, nothing else.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLoadgenArgs } from '@testbed/loadgen';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TOOL_IMAGES } from '../../scripts/images/build.js';
import { PolicySet, type Endpoint } from './network-policy.js';
import { key, ofKind, podTemplates, renderOverlay, REPO_ROOT, type K8sObject } from './render.js';

const objects = renderOverlay('dev-loadgen');
const dev = renderOverlay('dev');
const added = objects.filter((o) => !dev.some((d) => key(d) === key(o)));
const [loadgen] = podTemplates(objects).filter((t) => t.owner.metadata.name === 'loadgenerator');
const container = loadgen!.spec.containers[0]!;
const configMap = (name: string) =>
  ofKind(objects, 'ConfigMap').find((c) => c.metadata.namespace === 'loadgenerator' && c.metadata.name === name)?.['data'] as Record<string, string>;

/** The container's environment; a Secret's value is a stand-in. */
function containerEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) if (source.configMapRef) Object.assign(env, configMap(source.configMapRef.name));
  for (const variable of container.env ?? []) env[variable.name] = variable.value ?? 'stand-in-key';
  return env;
}

/** The container's arguments with $(VAR) expanded as the kubelet does. */
function expandedArgs(env: Record<string, string>): string[] {
  const args = (container as unknown as { args: string[] }).args;
  return args.map((arg) => arg.replace(/\$\(([A-Z_]+)\)/g, (_match, name: string) => env[name] ?? `$(${name})`));
}

describe('overlays/dev-loadgen (components/loadgenerator)', () => {
  it("when rendered, then it is the dev overlay unchanged plus the component's own objects in namespace loadgenerator", () => {
    for (const object of dev)
      expect(
        objects.find((o) => key(o) === key(object)),
        key(object),
      ).toEqual(object);
    expect(added.map(key).sort()).toEqual([
      'ConfigMap loadgenerator/loadgenerator-config',
      'Deployment loadgenerator/loadgenerator',
      'Namespace /loadgenerator',
      'NetworkPolicy loadgenerator/default-deny',
      'NetworkPolicy loadgenerator/loadgenerator',
      'ServiceAccount loadgenerator/loadgenerator',
    ]);
    const namespace = added.find((o) => o.kind === 'Namespace')!;
    expect(namespace.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it('when rendered, then its pod runs non-root, read-only, without privileges, with requests, limits and a writable /tmp', () => {
    const { spec } = loadgen!;
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    for (const field of ['requests', 'limits'] as const) {
      expect(container.resources?.[field]?.['cpu'], field).toBeDefined();
      expect(container.resources?.[field]?.['memory'], field).toBeDefined();
    }
    const tmp = container.volumeMounts?.find((m) => m.mountPath === '/tmp');
    expect(spec.volumes?.find((v) => v.name === tmp?.name)?.emptyDir).toBeDefined();
  });

  it("when its arguments are expanded, then pnpm loadgen accepts them: the dev virtual host, through Envoy's Service, until stopped", () => {
    // `args` without `command` would replace the image's CMD instead of following it.
    expect(container.command).toEqual(['node', 'dist/main.js']);
    const env = containerEnv();
    expect(parseLoadgenArgs(expandedArgs(env), env)).toMatchObject({
      url: 'http://localhost',
      resolveTo: 'envoy.projectcontour.svc.cluster.local',
      users: 5,
      durationS: 0,
      apiKey: 'stand-in-key',
    });
  });

  it('when it references a ConfigMap, a ServiceAccount or a Secret, then only the hand-made Secret is not in git', () => {
    expect(configMap('loadgenerator-config')).toBeDefined();
    expect(added.some((o) => o.kind === 'ServiceAccount' && o.metadata.name === loadgen!.spec.serviceAccountName)).toBe(true);
    expect(container.env?.map((e) => e.valueFrom?.secretKeyRef)).toEqual([{ name: 'loadgenerator', key: 'FIREBASE_API_KEY' }]);
    expect(ofKind(objects, 'Secret').filter((s) => s.metadata.namespace === 'loadgenerator')).toEqual([]);
  });

  it('when it connects, then only DNS, the gateway and HTTPS on the internet are allowed', () => {
    const policies = new PolicySet(objects, { 'kube-system': {}, projectcontour: {} });
    const at = (o: K8sObject): Endpoint & { port: number } => {
      const t = podTemplates([o])[0]!;
      return { name: o.metadata.name, namespace: t.namespace, labels: t.labels, ip: '10.244.1.9', port: t.spec.containers[0]!.ports?.[0]?.containerPort ?? 0 };
    };
    const self: Endpoint = { name: 'loadgenerator', namespace: 'loadgenerator', labels: loadgen!.labels, ip: '10.244.1.5' };
    const envoy: Endpoint = { name: 'envoy', namespace: 'gateway', labels: { app: 'envoy' }, ip: '10.244.0.2' };
    const unlabelledEnvoy: Endpoint = { name: 'envoy', namespace: 'projectcontour', labels: { app: 'envoy' }, ip: '10.244.0.3' };
    const kubeDns: Endpoint = { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ip: '10.96.0.10' };
    expect(policies.allows(self, envoy, 8080)).toBe(true);
    expect(policies.allows(self, envoy, 8443)).toBe(true);
    expect(policies.allows(self, unlabelledEnvoy, 8080)).toBe(false);
    expect(policies.allows(self, kubeDns, 53, 'UDP')).toBe(true);
    expect(policies.allows(self, { name: 'identitytoolkit.googleapis.com', ip: '142.250.74.42' }, 443)).toBe(true);
    expect(policies.allows(self, { name: 'in-cluster', ip: '10.244.9.9' }, 443)).toBe(false);
    for (const workload of ofKind(objects, 'Deployment')
      .concat(ofKind(objects, 'StatefulSet'))
      .filter((o) => o.metadata.name !== 'loadgenerator')) {
      const target = at(workload);
      if (target.port) expect(policies.allows(self, target, target.port), `loadgenerator → ${target.name}`).toBe(false);
    }
  });

  it('when skaffold runs the loadgen profile, then it renders this overlay and builds the loadgenerator image as pnpm images does', () => {
    type Artifact = { image: string; docker: { dockerfile: string; target?: string; buildArgs?: Record<string, string> } };
    const config = parse(readFileSync(join(REPO_ROOT, 'skaffold.yaml'), 'utf8')) as {
      build: { artifacts: Artifact[] };
      profiles: { name: string; build?: { artifacts: Artifact[] }; manifests?: { kustomize: { paths: string[] } } }[];
    };
    const profile = config.profiles.find((p) => p.name === 'loadgen')!;
    expect(profile.manifests?.kustomize.paths).toEqual(['manifests/overlays/dev-loadgen']);
    const artifacts = profile.build!.artifacts;
    expect(artifacts.slice(0, -1)).toEqual(config.build.artifacts);
    const image = artifacts.at(-1)!;
    expect(image.image).toBe(container.image);
    expect(image.docker).toEqual({
      dockerfile: 'services/Dockerfile',
      target: 'tool',
      buildArgs: { SERVICE: 'loadgenerator', PACKAGE: TOOL_IMAGES.loadgenerator },
    });
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'packages', 'loadgen', 'package.json'), 'utf8')) as { name: string; files: string[] };
    expect(manifest.name).toBe(TOOL_IMAGES.loadgenerator);
    expect(manifest.files).toEqual(['dist']);
  });
});
