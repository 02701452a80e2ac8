// The dev overlay's pods, for real: `podman kube play --network host` runs the rendered Deployments
// with their ConfigMaps and Secrets and the securityContext they declare, on the images `pnpm images`
// builds, against the real MariaDB, Redis, NATS and the Auth emulator. The closest this machine gets
// to a cluster (no kubelet, no CNI): what differs is patched here, and only here:
// - no Services or cluster DNS: every address becomes 127.0.0.1 and a free port (host network);
// - podman 4.3 has no Secret objects: each Secret becomes a podman secret (JSON of key → base64);
// - podman 4.3 schedules probes with systemd and knows no gRPC probe: the test runs every probe itself;
// - podman 4.3 ignores volumeMounts.subPath, so the SPA's /config.json mount is a directory here (the
//   test does not fetch it);
// - auth-service talks to the Auth emulator instead of Google (NODE_ENV=development allows it);
// - a database of its own on the shared MariaDB, and private Redis and NATS servers, so nothing shared
//   is touched (the streams and keys go away with them).
// Part of `pnpm test:images`; it needs the localhost/testbed/<name>:dev images.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, makeGenericClientConstructor, type ServiceError } from '@grpc/grpc-js';
import {
  createTestDatabase,
  freePorts,
  privateNatsServer,
  privateRedisServer,
  waitFor,
  waitForUrl,
  type PrivateNatsServer,
  type PrivateRedisServer,
  type TestDatabase,
} from '@testbed/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startGateway, type Gateway } from '../../scripts/dev/gateway/gateway.js';
import { podTemplates, renderOverlay, REPO_ROOT, type Container, type K8sObject } from '../manifests/render.js';

const SERVICES = ['auth-service', 'public-api', 'secure-api', 'event-consumer', 'frontend'] as const;
type Service = (typeof SERVICES)[number];
const IMAGE = (name: string) => `localhost/testbed/${name}:dev`;
const id = `kp${randomBytes(3).toString('hex')}`;
// The project's podman settings (runc, explicit ulimits: docs/images.md), unless the caller chose others.
const projectConf = join(REPO_ROOT, 'scripts', 'images', 'containers.conf');
const env = { ...process.env, ...(existsSync(projectConf) ? { CONTAINERS_CONF: projectConf } : {}) };

function podman(args: string[], input?: string) {
  const result = spawnSync('podman', args, { env, encoding: 'utf8', input, maxBuffer: 16 * 1024 * 1024 });
  if (result.error) throw result.error;
  return result;
}
function podmanOk(args: string[], input?: string): string {
  const result = podman(args, input);
  if (result.status !== 0) throw new Error(`podman ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  return result.stdout;
}

const hasPodman = spawnSync('podman', ['--version'], { env }).status === 0;
const missingImages = hasPodman ? SERVICES.filter((s) => podman(['image', 'exists', IMAGE(s)]).status !== 0) : [...SERVICES];
const skipReason = !hasPodman
  ? 'podman is not installed'
  : missingImages.length > 0
    ? `missing images ${missingImages.map(IMAGE).join(', ')}: run \`pnpm images\``
    : undefined;

interface Ports {
  authGrpc: number;
  authHttp: number;
  publicHttp: number;
  publicInternal: number;
  secureHttp: number;
  consumerHttp: number;
  frontendHttp: number;
  gateway: number;
}

/** The port each named container port of the rendered manifests moves to on the host network. */
const portMap = (p: Ports): Record<Service, Record<string, number>> => ({
  'auth-service': { grpc: p.authGrpc, http: p.authHttp, 50051: p.authGrpc, 8084: p.authHttp },
  'public-api': { http: p.publicHttp, internal: p.publicInternal, 8081: p.publicHttp, 8091: p.publicInternal },
  'secure-api': { http: p.secureHttp, 8082: p.secureHttp },
  'event-consumer': { http: p.consumerHttp, 8083: p.consumerHttp },
  frontend: { http: p.frontendHttp, 8080: p.frontendHttp },
});

/** The rendered dev overlay, changed for podman on one host (see the header). */
function podmanManifests(objects: readonly K8sObject[], ports: Ports, datastoreUrls: Record<'MYSQL_URL' | 'REDIS_URL' | 'NATS_URL', string>) {
  const configOverrides: Record<Service, Record<string, string>> = {
    'auth-service': {
      GRPC_PORT: String(ports.authGrpc),
      PORT: String(ports.authHttp),
      NODE_ENV: 'development',
      FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099',
      GOOGLE_APPLICATION_CREDENTIALS: '',
    },
    'public-api': {
      PORT: String(ports.publicHttp),
      INTERNAL_PORT: String(ports.publicInternal),
      AUTH_GRPC_ADDR: `127.0.0.1:${ports.authGrpc}`,
    },
    'secure-api': {
      PORT: String(ports.secureHttp),
      AUTH_GRPC_ADDR: `127.0.0.1:${ports.authGrpc}`,
      PUBLIC_API_URL: `http://127.0.0.1:${ports.publicInternal}`,
    },
    'event-consumer': { PORT: String(ports.consumerHttp) },
    frontend: {},
  };
  const playable: object[] = [];
  const secrets: { name: string; data: Record<string, string> }[] = [];
  const nginxConf = readFileSync(join(REPO_ROOT, 'frontend', 'nginx', 'nginx.conf'), 'utf8').replace(/listen 8080;/, `listen ${ports.frontendHttp};`);

  for (const template of podTemplates(objects).filter((t) => t.owner.kind === 'Deployment')) {
    const service = template.owner.metadata.name as Service;
    if (!SERVICES.includes(service)) continue;
    const ns = template.namespace;
    const configMaps = new Map<string, string>();
    const renamed = (name: string) => `${name}-${id}`;
    const secretName = (name: string) => `${id}-${ns}-${name}`;
    const spec = structuredClone(template.spec);
    const adapt = (c: Container) => {
      c.image = IMAGE(service);
      delete c.ports;
      delete c.lifecycle;
      // podman would turn a liveness probe into a systemd-timed healthcheck (no systemd here) and knows no
      // gRPC or readiness probes: the test runs every probe of the rendered manifests itself.
      delete c.startupProbe;
      delete c.readinessProbe;
      delete c.livenessProbe;
      for (const source of c.envFrom ?? []) {
        if (source.configMapRef) configMaps.set(source.configMapRef.name, renamed(source.configMapRef.name));
        if (source.configMapRef) source.configMapRef.name = renamed(source.configMapRef.name);
      }
      for (const variable of c.env ?? []) {
        const ref = variable.valueFrom?.secretKeyRef;
        if (ref) ref.name = secretName(ref.name);
      }
      c.volumeMounts = (c.volumeMounts ?? []).filter((m) => m.name !== 'firebase-service-account');
    };
    spec.containers.forEach(adapt);
    spec.initContainers?.forEach(adapt);
    spec.volumes = (spec.volumes ?? []).filter((v) => !v.secret);
    for (const volume of spec.volumes) {
      if (volume.configMap) {
        configMaps.set(volume.configMap.name, renamed(volume.configMap.name));
        volume.configMap.name = renamed(volume.configMap.name);
      }
    }
    if (service === 'frontend') {
      // nginx listens on 8080 by its config; on a shared host it gets a free port through a copy of that
      // config. podman 4.3 ignores subPath (it mounts the whole ConfigMap), so the copy is a directory.
      const nginx = spec.containers[0]!;
      nginx.command = ['nginx', '-c', '/etc/nginx/kube-play/nginx.conf', '-g', 'daemon off;'];
      spec.volumes.push({ name: 'nginx-conf', configMap: { name: renamed('nginx-conf') } });
      nginx.volumeMounts!.push({ name: 'nginx-conf', mountPath: '/etc/nginx/kube-play', readOnly: true });
      playable.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: renamed('nginx-conf') }, data: { 'nginx.conf': nginxConf } });
    }
    for (const [original, name] of configMaps) {
      const source = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.namespace === ns && o.metadata.name === original)!;
      const data = { ...(source['data'] as Record<string, string>), ...configOverrides[service] };
      if (original.endsWith('-config') && service !== 'frontend') for (const [k, v] of Object.entries(data)) if (v === '') delete data[k];
      playable.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
    }
    for (const secret of objects.filter((o) => o.kind === 'Secret' && o.metadata.namespace === ns)) {
      const keys = Object.keys({ ...(secret['data'] as object), ...(secret['stringData'] as object) });
      secrets.push({
        name: secretName(secret.metadata.name),
        data: Object.fromEntries(keys.map((k) => [k, Buffer.from(datastoreUrls[k as keyof typeof datastoreUrls] ?? '').toString('base64')])),
      });
    }
    playable.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: `${service}-${id}`,
        // podman 4.3 reads this from the Deployment's metadata only. `once` races: podman removes the
        // init container while it is still being reaped and the play fails; `always` keeps it.
        annotations: { 'io.podman.annotations.init.container.type': 'always' },
      },
      spec: { replicas: 1, selector: { matchLabels: template.labels }, template: { metadata: { labels: template.labels }, spec } },
    });
  }
  return { yaml: playable.map((o) => stringify(o)).join('---\n'), secrets };
}

/** grpc.health.v1.Health/Check for the whole server: true when it answers SERVING. */
async function grpcServing(port: number): Promise<boolean> {
  const Client = makeGenericClientConstructor({}, 'Health');
  const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure());
  try {
    return await new Promise<boolean>((resolve) => {
      client.makeUnaryRequest(
        '/grpc.health.v1.Health/Check',
        () => Buffer.alloc(0), // HealthCheckRequest{service: ""}
        (bytes: Buffer) => bytes,
        {},
        { deadline: Date.now() + 2_000 },
        (error: ServiceError | null, response?: Buffer) => resolve(!error && response?.equals(Buffer.from([0x08, 0x01])) === true),
      );
    });
  } finally {
    client.close();
  }
}

// Pods pull, start and migrate under podman: minutes, not seconds.
const PROBE_WAIT = { timeoutMs: 120_000, intervalMs: 1_000 };

describe.skipIf(skipReason !== undefined)(`dev overlay under podman kube play${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'testbed-kube-play-'));
  let database: TestDatabase | undefined;
  let nats: PrivateNatsServer | undefined;
  let redis: PrivateRedisServer | undefined;
  const objects = renderOverlay('dev');
  let ports: Ports;
  let secrets: { name: string }[] = [];
  let gateway: Gateway | undefined;
  let played = false;

  beforeAll(async () => {
    const [authGrpc, authHttp, publicHttp, publicInternal, secureHttp, consumerHttp, frontendHttp, gatewayPort] = await freePorts(8);
    ports = {
      authGrpc: authGrpc!,
      authHttp: authHttp!,
      publicHttp: publicHttp!,
      publicInternal: publicInternal!,
      secureHttp: secureHttp!,
      consumerHttp: consumerHttp!,
      frontendHttp: frontendHttp!,
      gateway: gatewayPort!,
    };
    database = await createTestDatabase('kube_play');
    nats = await privateNatsServer();
    redis = await privateRedisServer();
    await Promise.all([nats.start(), redis.start()]);

    const manifests = podmanManifests(objects, ports, { MYSQL_URL: database.url, REDIS_URL: redis.url, NATS_URL: nats.url });
    secrets = manifests.secrets;
    for (const secret of manifests.secrets) {
      const file = join(dir, `${secret.name}.json`);
      writeFileSync(file, JSON.stringify(secret.data));
      podmanOk(['secret', 'create', secret.name, file]);
    }
    writeFileSync(join(dir, 'pods.yaml'), manifests.yaml);
    played = true;
    podmanOk(['kube', 'play', '--network', 'host', join(dir, 'pods.yaml')]);
    gateway = await startGateway({
      port: ports.gateway,
      host: '127.0.0.1',
      spa: { upstream: `http://127.0.0.1:${ports.frontendHttp}` },
      servicePorts: { 'auth-service': ports.authGrpc, 'public-api': ports.publicHttp, 'secure-api': ports.secureHttp, frontend: ports.frontendHttp },
      emulatorHost: '127.0.0.1:9099',
    });
  }, 180_000);

  afterAll(async () => {
    await gateway?.close();
    if (played) {
      const logs = SERVICES.map((s) => `--- ${s}\n${podman(['logs', '--tail', '20', `${s}-${id}-pod-0-${s}`]).stdout}`).join('\n');
      mkdirSync(join(REPO_ROOT, '.test-results'), { recursive: true });
      writeFileSync(join(REPO_ROOT, '.test-results', `kube-play-${id}.log`), logs);
      podman(['kube', 'down', join(dir, 'pods.yaml')]);
    }
    for (const secret of secrets) podman(['secret', 'rm', secret.name]);
    await database?.drop();
    await nats?.dispose();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('when the pods start, then every probe the manifests declare passes', async () => {
    const moved = portMap(ports);
    const checks: Promise<void>[] = [];
    for (const template of podTemplates(objects).filter((t) => SERVICES.includes(t.owner.metadata.name as Service))) {
      const service = template.owner.metadata.name as Service;
      for (const c of template.spec.containers) {
        for (const [kind, probe] of Object.entries({ startup: c.startupProbe, readiness: c.readinessProbe, liveness: c.livenessProbe })) {
          const http = probe?.['httpGet'] as { path: string; port: string | number } | undefined;
          const grpc = probe?.['grpc'] as { port: number } | undefined;
          expect(http ?? grpc, `${service} ${kind} probe`).toBeDefined();
          if (http)
            checks.push(
              waitForUrl(`http://127.0.0.1:${moved[service][String(http.port)]}${http.path}`, { ...PROBE_WAIT, what: `${service} ${kind} GET ${http.path}` }),
            );
          if (grpc) checks.push(waitFor(() => grpcServing(moved[service][String(grpc.port)]!), { ...PROBE_WAIT, what: `${service} ${kind} gRPC health` }));
        }
      }
    }
    // Every pod at once, and every failure named, not only the first.
    const failures = (await Promise.allSettled(checks)).flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error).message)] : []));
    expect(failures).toEqual([]);
  }, 300_000);

  it('when the pods run, then the securityContext of the manifests is applied', () => {
    for (const service of SERVICES) {
      const template = podTemplates(objects).find((t) => t.owner.metadata.name === service)!;
      // `podman container inspect NAME` prints a one-element array.
      const [inspect] = JSON.parse(podmanOk(['container', 'inspect', `${service}-${id}-pod-0-${service}`])) as [
        {
          Config: { User: string };
          HostConfig: { ReadonlyRootfs: boolean; CapAdd: string[] | null; CapDrop: string[]; SecurityOpt: string[] };
        },
      ];
      const sc = template.spec.securityContext!;
      expect(inspect.Config.User, service).toBe(`${String(sc['runAsUser'])}:${String(sc['runAsGroup'])}`);
      expect(inspect.HostConfig.ReadonlyRootfs, service).toBe(true);
      expect(inspect.HostConfig.CapAdd ?? [], service).toEqual([]);
      expect(inspect.HostConfig.CapDrop, service).toEqual(expect.arrayContaining(['CAP_CHOWN', 'CAP_NET_RAW', 'CAP_SETUID', 'CAP_DAC_OVERRIDE']));
      expect(inspect.HostConfig.SecurityOpt, service).toContain('no-new-privileges');
    }
  });

  it('when a browser asks the dev gateway, then the SPA, the public API and the secure API answer from the pods', async () => {
    const base = `http://127.0.0.1:${ports.gateway}`;
    const spa = await fetch(`${base}/`);
    expect(spa.status).toBe(200);
    expect(await spa.text()).toContain('<div id="app">');
    const messages = await fetch(`${base}/api/public/messages`);
    expect(messages.status).toBe(200);
    expect(await messages.json()).toMatchObject({ items: expect.any(Array) });
    // Without a token secure-api answers 401 itself (a gateway or a dead upstream would say 404/502/503).
    const me = await fetch(`${base}/api/secure/me`);
    expect(me.status).toBe(401);
    expect(me.headers.get('content-type')).toContain('application/problem+json');
  }, 60_000);
});
