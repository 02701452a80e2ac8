// Contour and Emissary must route exactly as manifests/routes.json says (the dev gateway follows the
// same file): prefix, upstream Service and port, protocol, timeouts, body limit.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadRouteTable, type Route } from '../../scripts/dev/gateway/route-table.js';
import { kustomize, MANIFESTS, ofKind, renderOverlay, type K8sObject } from './render.js';

const table = loadRouteTable();
const BODY_LIMIT = 'testbed.dev/max-request-body-bytes';
/** GitHub's webhook to the Tekton EventListener: a cluster route, not the app's (test/cicd/webhook-route.test.ts). */
const WEBHOOK_PREFIX = '/hooks/tekton';

/** Where a route's Service lives: each service has its own namespace (auth-service's is `auth`). */
const namespaceOf = (service: string) => (service === 'auth-service' ? 'auth' : service);

/** Contour durations as the route table's milliseconds: "15s" → 15000. */
function durationMs(value: string): number {
  const m = /^(\d+)(ms|s|m|h)$/.exec(value);
  if (!m) throw new Error(`unexpected duration ${value}`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

interface ContourService {
  name: string;
  port: number;
  protocol?: string;
  weight?: number;
}
interface ContourRoute {
  conditions?: { prefix?: string; header?: { name: string; exact?: string } }[];
  services: ContourService[];
  timeoutPolicy?: { response?: string; idle?: string };
  rateLimitPolicy?: { local?: { requests: number; unit: string } };
}

/** The route table as Contour serves it: root includes resolved to the child HTTPProxies' routes. */
function contourTable(objects: readonly K8sObject[]) {
  const proxies = ofKind(objects, 'HTTPProxy');
  const root = proxies.find((p) => (p['spec'] as { virtualhost?: unknown }).virtualhost)!;
  const includes = (root['spec'] as { includes: { name: string; namespace: string; conditions: { prefix: string }[] }[] }).includes;
  return includes.map((include) => {
    const child = proxies.find((p) => p.metadata.name === include.name && p.metadata.namespace === include.namespace)!;
    return { prefix: include.conditions[0]!.prefix, child, routes: (child['spec'] as { routes: ContourRoute[] }).routes };
  });
}

const expectedUpstream = (route: Route) => ({
  name: route.service,
  port: route.port,
  ...(route.upstreamProtocol === 'h2c' ? { protocol: 'h2c' } : {}),
});

describe.each(['dev', 'prod'] as const)('Contour in overlays/%s', (overlay) => {
  const objects = renderOverlay(overlay);
  const routes = contourTable(objects);

  it('when the root HTTPProxy is read, then it delegates exactly the route table prefixes (plus, in prod, the CI webhook)', () => {
    const appRoutes = routes.filter((r) => r.prefix !== WEBHOOK_PREFIX);
    expect(appRoutes.map((r) => r.prefix).sort()).toEqual(table.routes.map((r) => r.prefix).sort());
    expect(routes.length - appRoutes.length).toBe(overlay === 'prod' ? 1 : 0);
  });

  it.each(table.routes.map((r) => [r.prefix, r] as const))('when a request matches %s, then Contour sends it as the table says', (prefix, route) => {
    const delegated = routes.find((r) => r.prefix === prefix)!;
    expect(delegated.child.metadata.namespace).toBe(namespaceOf(route.service));
    expect(delegated.child.metadata.annotations?.[BODY_LIMIT]).toBe(String(route.maxRequestBodyBytes));
    for (const r of delegated.routes) {
      // Conditions below the include may only narrow by method, never by path.
      expect(r.conditions?.every((c) => c.prefix === undefined) ?? true).toBe(true);
      expect(r.services.map(({ weight: _weight, ...s }) => s)).toEqual([expectedUpstream(route)]);
      expect(durationMs(r.timeoutPolicy!.response!)).toBe(route.timeouts.responseMs);
      expect(durationMs(r.timeoutPolicy!.idle!)).toBe(route.timeouts.idleMs);
    }
    const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === route.service && o.metadata.namespace === namespaceOf(route.service));
    expect((service?.['spec'] as { ports: { port: number }[] }).ports.map((p) => p.port)).toContain(route.port);
  });

  it('when a client POSTs to the public API, then a local rate limit applies per Envoy pod', () => {
    const publicRoutes = routes.find((r) => r.prefix === '/api/public/')!.routes;
    const post = publicRoutes.find((r) => r.conditions?.some((c) => c.header?.name === ':method' && c.header.exact === 'POST'));
    expect(post?.rateLimitPolicy?.local).toMatchObject({ unit: 'minute' });
  });
});

interface Mapping {
  hostname: string;
  prefix: string;
  rewrite: string;
  service: string;
  grpc?: boolean;
  timeout_ms: number;
  idle_timeout_ms: number;
  weight?: number;
}

describe('Emissary in overlays/dev-emissary', () => {
  const objects = renderOverlay('dev-emissary');
  const mappings = ofKind(objects, 'Mapping');

  it.each(table.routes.map((r) => [r.prefix, r] as const))('when a request matches %s, then Emissary sends it as the table says', (prefix, route) => {
    const matching = mappings.filter((m) => (m['spec'] as Mapping).prefix === prefix);
    expect(matching).toHaveLength(1);
    const mapping = matching[0]!;
    const spec = mapping['spec'] as Mapping;
    expect(mapping.metadata.namespace).toBe(namespaceOf(route.service));
    expect(spec.service).toBe(`${route.service}.${namespaceOf(route.service)}:${route.port}`);
    expect(spec.rewrite).toBe('');
    expect(spec.grpc === true).toBe(route.upstreamProtocol === 'h2c');
    expect(spec.timeout_ms).toBe(route.timeouts.responseMs);
    expect(spec.idle_timeout_ms).toBe(route.timeouts.idleMs);
    expect(mapping.metadata.annotations?.[BODY_LIMIT]).toBe(String(route.maxRequestBodyBytes));
  });

  it('when the browser speaks grpc-web, then the Module turns on the grpc-web filter', () => {
    const module = ofKind(objects, 'Module').find((m) => m.metadata.name === 'ambassador');
    expect((module?.['spec'] as { config: { enable_grpc_web: boolean } }).config.enable_grpc_web).toBe(true);
  });

  const dev = renderOverlay('dev');

  it('when Contour and Emissary retry, then both retry only requests that never reached a pod', () => {
    const contour = contourTable(dev).flatMap((r) => r.routes);
    for (const r of contour) expect((r as { retryPolicy?: { retryOn: string[] } }).retryPolicy?.retryOn).toEqual(['connect-failure']);
    for (const m of mappings) expect((m['spec'] as { retry_policy: { retry_on: string } }).retry_policy.retry_on).toBe('connect-failure');
  });
});

describe('components/canary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'testbed-canary-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const weights = (parse(readFileSync(join(MANIFESTS, 'components', 'canary', 'weights.yaml'), 'utf8')) as { data: Record<string, string> }).data;

  /** An overlay made for the test: one of ours plus the canary components. */
  function withCanary(name: string, resources: string, components: string[]): K8sObject[] {
    const overlay = join(dir, name);
    const rel = (p: string) => relative(overlay, join(MANIFESTS, p));
    mkdirSync(overlay);
    writeFileSync(join(overlay, 'kustomization.yaml'), `resources: [${rel(resources)}]\ncomponents: [${components.map(rel).join(', ')}]\n`);
    return kustomize(overlay, ['--load-restrictor', 'LoadRestrictionsNone']);
  }

  it('when added to the Contour overlay, then every public-api route splits stable/canary by the one set of weights', () => {
    const objects = withCanary('contour', 'overlays/dev', ['components/canary']);
    const routes = contourTable(objects).find((r) => r.prefix === '/api/public/')!.routes;
    for (const r of routes) {
      expect(r.services).toEqual([
        { name: 'public-api', port: 8081, weight: Number(weights['stable']) },
        { name: 'public-api-canary', port: 8081, weight: Number(weights['canary']) },
      ]);
    }
    expect(objects.some((o) => o.kind === 'ConfigMap' && o.metadata.name === 'canary-weights')).toBe(false);
    expect(objects.some((o) => o.kind === 'Deployment' && o.metadata.name === 'public-api-canary')).toBe(true);
  }, 60_000);

  it('when added to the Emissary overlay, then the two public-api Mappings carry the same weights', () => {
    const objects = withCanary('emissary', 'overlays/dev-emissary', ['components/canary/emissary', 'components/canary']);
    const weightOf = (name: string) => (ofKind(objects, 'Mapping').find((m) => m.metadata.name === name)!['spec'] as Mapping).weight;
    expect(weightOf('public-api')).toBe(Number(weights['stable']));
    expect(weightOf('public-api-canary')).toBe(Number(weights['canary']));
    expect(Number(weights['stable']) + Number(weights['canary'])).toBe(100);
  }, 60_000);
});
