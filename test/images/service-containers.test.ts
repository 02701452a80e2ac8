import { setTimeout as sleep } from 'node:timers/promises';
import { credentials, loadPackageDefinition, type Client, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { createTestDatabase, type TestDatabase } from '@testbed/service-kit/testing';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_IMAGES, type ImageName } from '../../scripts/images/build.js';
import { appContainerSpecs, newRunId, startContainer, waitForOk, type AppPorts, type RunningContainer } from '../../scripts/images/containers.js';
import { podman } from '../../scripts/images/podman.js';
import { freeAppPorts } from './ports.js';

// The four service images, each run with the securityContext the manifests use (read-only root,
// /tmp tmpfs, numeric non-root user, no capabilities, no privilege escalation) against the real
// MariaDB, Redis, NATS and the Auth emulator, with a database, key prefix and NATS topology of
// their own.
const GRACE_PERIOD_S = 30;
const run = newRunId();
let database: TestDatabase;
let ports: AppPorts;
const containers = new Map<ImageName, RunningContainer>();

beforeAll(async () => {
  database = await createTestDatabase('images_services');
  ports = await freeAppPorts();
  const specs = appContainerSpecs({
    mysqlUrl: database.url,
    redisUrl: process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    natsUrl: process.env['TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222',
    emulatorHost: process.env['FIREBASE_AUTH_EMULATOR_HOST'] ?? '127.0.0.1:9099',
    ports,
    runId: run,
    eventTopologyPrefix: `images${run}`,
    // Readiness goes false first and the server keeps serving for this long (the manifests use 5000).
    serviceEnv: { SHUTDOWN_DELAY_MS: '1000', STATS_PREFIX: `images-${run}:stats:` },
  }).filter((spec) => spec.image !== 'frontend');
  for (const spec of specs) containers.set(spec.image, await startContainer(spec));
});

afterAll(async () => {
  await Promise.all([...containers.values()].map((c) => c.remove()));
  await database?.drop();
});

function httpPort(name: ImageName): number {
  const byImage: Partial<Record<ImageName, number>> = {
    'auth-service': ports.authHttp,
    'public-api': ports.publicApi,
    'secure-api': ports.secureApi,
    'event-consumer': ports.eventConsumer,
  };
  return byImage[name] as number;
}

function container(name: ImageName): RunningContainer {
  const found = containers.get(name);
  if (!found) throw new Error(`${name} was not started`);
  return found;
}

/** grpc.health.v1.Health/Check against the auth-service container; resolves the status name. */
function grpcHealth(address: string): Promise<string> {
  const definition = loadPackageDefinition(loadSync(healthProtoPath, { enums: String })) as unknown as {
    grpc: { health: { v1: { Health: ServiceClientConstructor } } };
  };
  const client = new definition.grpc.health.v1.Health(address, credentials.createInsecure()) as unknown as Client & {
    check(request: { service: string }, options: { deadline: Date }, callback: (error: Error | null, response?: { status: string }) => void): void;
  };
  return new Promise((resolve, reject) => {
    client.check({ service: '' }, { deadline: new Date(Date.now() + 5_000) }, (error, response) => {
      client.close();
      if (error) reject(error);
      else resolve(response?.status ?? 'UNKNOWN');
    });
  });
}

describe.sequential.each(SERVICE_IMAGES)('the %s container', (name) => {
  it("when started with the manifests' securityContext, then it answers /readyz against the real servers", async () => {
    await waitForOk(`http://127.0.0.1:${httpPort(name)}/readyz`, container(name));
    if (name === 'auth-service') expect(await grpcHealth(`127.0.0.1:${ports.authGrpc}`)).toBe('SERVING');
  });
});

/**
 * Requests /healthz from `concurrency` loops until `stop` settles; requests already sent then are
 * awaited. A request the server never accepted (connection refused, once it stopped listening) is
 * not a failure; anything else that is not a 200 is: a reset, a socket closed under a request.
 */
async function hammer(url: string, stop: Promise<unknown>, concurrency = 6): Promise<{ ok: number; failures: string[] }> {
  let stopped = false;
  void stop.finally(() => (stopped = true));
  let ok = 0;
  const failures: string[] = [];
  const loop = async () => {
    while (!stopped) {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(15_000) });
        await response.arrayBuffer();
        if (response.status === 200) ok += 1;
        else failures.push(`HTTP ${response.status}`);
      } catch (error) {
        const code = (error as { cause?: { code?: string } }).cause?.code;
        if (code === 'ECONNREFUSED') return;
        failures.push(`${String(error)} (${code ?? 'no code'})`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return { ok, failures };
}

describe.sequential('graceful shutdown', () => {
  // Consumers first, auth-service last: the order a rollout of everything would stop them in.
  const order: ImageName[] = ['event-consumer', 'secure-api', 'public-api', 'auth-service'];
  it.each(order)('when %s gets SIGTERM while serving, then it exits 0 within the grace period and no request in flight fails', async (name) => {
    const target = container(name);
    await waitForOk(`http://127.0.0.1:${httpPort(name)}/readyz`, target);
    const exited = target.wait();
    // Requests are flowing when the signal arrives; the ones in flight then must all succeed.
    let signalled: () => void = () => {};
    const load = hammer(`http://127.0.0.1:${httpPort(name)}/healthz`, new Promise<void>((resolve) => (signalled = resolve)));
    await sleep(300);
    await podman(['kill', '--signal', 'SIGTERM', target.name]);
    signalled();
    const exitCode = await Promise.race([exited, sleep(GRACE_PERIOD_S * 1000, 'still running after the grace period')]);
    const { ok, failures } = await load;
    expect(exitCode, await target.logs()).toBe(0);
    expect(ok).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  });
});
