// components/observability, rendered in overlays/dev-observability (`skaffold dev -p observability`):
// tracing is on in every service and exported to the collector, the new pods are hardened like the
// services', Prometheus scrapes each service's /metrics port, and the network policies admit exactly
// these flows (services → collector → Jaeger, Prometheus → services).
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PolicySet, type Endpoint } from './network-policy.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFESTS, key, ofKind, parseObjects, podTemplates, renderOverlay } from './render.js';
import { validateCustomResource } from './schemas.js';

const objects = renderOverlay('dev-observability');
const dev = renderOverlay('dev');
const templates = podTemplates(objects);
const template = (name: string) => templates.find((t) => t.owner.metadata.name === name)!;
const SERVICES = { 'auth-service': 8084, 'public-api': 8081, 'secure-api': 8082, 'event-consumer': 8083 } as const;
const configMap = (namespace: string, name: string) =>
  ofKind(objects, 'ConfigMap').find((c) => c.metadata.namespace === namespace && c.metadata.name === name)?.['data'] as Record<string, string>;

/** A service container's environment: config maps first, then `env`, which wins as in the kubelet. */
function environment(name: string): Record<string, string> {
  const t = template(name);
  const container = t.spec.containers[0]!;
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) if (source.configMapRef) Object.assign(env, configMap(t.namespace, source.configMapRef.name));
  for (const variable of container.env ?? []) if (variable.value !== undefined) env[variable.name] = variable.value;
  return env;
}

describe('overlays/dev-observability (components/observability)', () => {
  it("when rendered, then it is the dev overlay plus the observability namespace, with only the services' env and policies changed", () => {
    const changed = dev.filter((d) => JSON.stringify(objects.find((o) => key(o) === key(d))) !== JSON.stringify(d)).map(key);
    expect(changed.sort()).toEqual(
      Object.keys(SERVICES)
        .map((s) => `Deployment ${template(s).namespace}/${s}`)
        .sort(),
    );
    const added = objects.filter((o) => !dev.some((d) => key(d) === key(o)));
    expect(added.every((o) => o.metadata.namespace === 'observability' || o.kind === 'Namespace' || o.kind === 'NetworkPolicy')).toBe(true);
    const namespace = added.find((o) => o.kind === 'Namespace' && o.metadata.name === 'observability');
    expect(namespace?.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it('when rendered, then every service keeps the image CMD (which preloads telemetry) and exports to the collector, while the dev overlay keeps tracing off', () => {
    for (const service of Object.keys(SERVICES)) {
      // The image's CMD preloads the SDK (services/Dockerfile; test/images checks it): a command here would replace it.
      expect(template(service).spec.containers[0]!.command, service).toBeUndefined();
      expect(environment(service), service).toMatchObject({
        OTEL_SERVICE_NAME: service,
        OTEL_SDK_DISABLED: 'false',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector.observability.svc.cluster.local:4318',
      });
      const devTemplate = podTemplates(dev).find((t) => t.owner.metadata.name === service)!;
      const devConfig = ofKind(dev, 'ConfigMap').find((c) => c.metadata.namespace === devTemplate.namespace && c.metadata.name === `${service}-config`);
      expect((devConfig?.['data'] as Record<string, string>)['OTEL_SDK_DISABLED'], service).toBe('true');
    }
  });

  it('when rendered, then the collector, Jaeger and Prometheus run non-root, read-only, without privileges, probed, with limits', () => {
    for (const name of ['otel-collector', 'jaeger', 'prometheus']) {
      const { spec } = template(name);
      const container = spec.containers[0]!;
      expect(spec.automountServiceAccountToken, name).toBe(false);
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(container.securityContext, name).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(container.resources?.limits?.['memory'], name).toBeDefined();
      for (const probe of [container.startupProbe, container.readinessProbe, container.livenessProbe]) expect(probe, name).toBeDefined();
      expect(container.image, name).toMatch(/^docker\.io\/[\w./-]+:v?\d+\.\d+\.\d+$/);
    }
  });

  it('when rendered, then the collector sends traces to Jaeger and Prometheus scrapes every service at its cluster DNS name', () => {
    const collector = parse(configMap('observability', 'otel-collector-config')['config.yaml']!) as {
      exporters: Record<string, { endpoint: string }>;
      service: { pipelines: { traces: { receivers: string[]; exporters: string[] } } };
    };
    expect(collector.service.pipelines.traces.receivers).toEqual(['otlp']);
    const [exporter] = collector.service.pipelines.traces.exporters;
    expect(collector.exporters[exporter!]!.endpoint).toBe('jaeger.observability.svc.cluster.local:4317');
    const prometheus = parse(configMap('observability', 'prometheus-config')['prometheus.yml']!) as {
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    const targets = Object.fromEntries(prometheus.scrape_configs.map((c) => [c.job_name, c.static_configs[0]!.targets[0]]));
    expect(targets).toEqual(Object.fromEntries(Object.entries(SERVICES).map(([s, port]) => [s, `${s}.${template(s).namespace}.svc.cluster.local:${port}`])));
  });

  it('when rendered, then the network policies admit services → collector → Jaeger and Prometheus → services, and nothing more of each', () => {
    const policies = new PolicySet(objects, { 'kube-system': {} });
    const pod = (name: string, ip: string): Endpoint => ({ name, namespace: template(name).namespace, labels: template(name).labels, ip });
    const collector = pod('otel-collector', '10.244.2.1');
    const jaeger = pod('jaeger', '10.244.2.2');
    const prometheus = pod('prometheus', '10.244.2.3');
    const frontend = pod('frontend', '10.244.2.4');
    for (const [name, port] of Object.entries(SERVICES)) {
      const service = pod(name, '10.244.1.1');
      expect(policies.allows(service, collector, 4318), `${name} → collector`).toBe(true);
      expect(policies.allows(prometheus, service, port), `prometheus → ${name}`).toBe(true);
      expect(policies.allows(service, jaeger, 4317), `${name} → jaeger directly`).toBe(false);
    }
    expect(policies.allows(collector, jaeger, 4317)).toBe(true);
    // Envoy in a labelled gateway namespace exports over OTLP/gRPC (components/observability/contour); an unlabelled one may not.
    const envoy: Endpoint = { name: 'envoy', namespace: 'projectcontour', labels: { app: 'envoy' }, ip: '10.244.0.2' };
    expect(new PolicySet(objects, { 'kube-system': {}, projectcontour: { 'testbed.dev/gateway': 'true' } }).allows(envoy, collector, 4317)).toBe(true);
    expect(policies.allows(envoy, collector, 4317)).toBe(false);
    expect(policies.allows(envoy, jaeger, 4317)).toBe(false);
    expect(policies.allows(frontend, collector, 4318)).toBe(false);
    expect(policies.allows(prometheus, frontend, 8080)).toBe(false);
  });

  it("when rendered, then Envoy's spans have a way to the collector: Contour's ExtensionService names its OTLP/gRPC port, and Emissary's TracingService (not in this overlay) matches its schema", () => {
    const [extension] = ofKind(objects, 'ExtensionService');
    expect(extension?.metadata).toMatchObject({ namespace: 'observability', name: 'otel-collector' });
    expect(extension?.['spec']).toMatchObject({ protocol: 'h2c', services: [{ name: 'otel-collector', port: 4317 }] });
    const collectorService = ofKind(objects, 'Service').find((s) => s.metadata.namespace === 'observability' && s.metadata.name === 'otel-collector');
    expect((collectorService?.['spec'] as { ports: { port: number }[] }).ports.map((p) => p.port)).toContain(4317);

    const file = join(MANIFESTS, 'components', 'observability', 'emissary', 'tracing-service.yaml');
    const [tracing] = parseObjects(readFileSync(file, 'utf8'));
    expect(validateCustomResource(tracing!)).toEqual([]);
    expect(tracing?.['spec']).toMatchObject({ driver: 'opentelemetry', service: 'otel-collector.observability.svc.cluster.local:4317' });
  });
});
