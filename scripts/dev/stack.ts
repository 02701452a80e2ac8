// The whole app on one machine: the Firebase Auth emulator, every service and the dev
// gateway in front of them. `pnpm dev` runs it from the command line; browser tests and the
// smoke test call startStack() and get one base URL and a stop function.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVER_URL_KEYS, describeAdapters, serverEnv, serverUrls, type AdapterChoice } from './adapters.js';
import { traceEnv } from './traces.js';
import { ensureAuthEmulator, isAuthEmulator } from './emulator.js';
import { EMULATOR_SERVICE, startGateway, type Gateway } from './gateway/gateway.js';
import { hasViteApp, type SpaSource } from './gateway/spa.js';
import { freePorts, urlAnswers } from '@testbed/service-kit';
import type { ReadinessProbe } from './gateway/upstream-readiness.js';
import { DEFAULT_PORTS, assertPortsFree, type StackPorts } from './ports.js';
import { ProcessGroup, type LineSink } from './processes.js';
import { waitUntilReady } from './readiness.js';
import { devServices, gatewayServicePorts } from './services.js';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
const FRONTEND_DIR = join(REPO_ROOT, 'frontend');
const SERVICE_START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

export interface StackOptions {
  /** 'vite' (the default) serves frontend/ with hot reload, or a placeholder page while it has no Vite app. */
  readonly spa?: 'vite' | 'placeholder' | { readonly upstream: string };
  /** 'memory' (the default), 'real' (URLs from the environment) or the URLs themselves. */
  readonly adapters?: AdapterChoice;
  /** Fixed ports (defaults: the Kubernetes ones), or 'free' to pick unused ones (tests). */
  readonly ports?: Partial<StackPorts> | 'free';
  /** Extra environment for every service, e.g. REDIS_KEY_PREFIX to keep a test's data apart. */
  readonly serviceEnv?: Readonly<Record<string, string>>;
  /** Every log line of every process; by default lines are only kept for output(). */
  readonly log?: LineSink;
  /** A service died after start-up. By default the stack is stopped. */
  readonly onUnexpectedExit?: (name: string, reason: string) => void;
  /** Aborting stops whatever has started; a pending startStack() then rejects. */
  readonly signal?: AbortSignal;
}

export interface Stack {
  /** The one origin, e.g. http://127.0.0.1:8080. */
  readonly url: string;
  readonly ports: StackPorts;
  readonly emulatorHost: string;
  /** e.g. "MySQL in-memory, Redis in-memory, NATS in-memory". */
  readonly adapters: string;
  readonly services: readonly string[];
  /** Where `/` comes from. */
  readonly spa: string;
  /** The last lines every process wrote, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const OUTPUT_LINES_KEPT = 400;

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const ports = await resolvePorts(options.ports);
  const urls = serverUrls(options.adapters ?? 'memory', process.env);
  const services = devServices(ports).filter((service) => existsSync(join(REPO_ROOT, service.dir, 'src', 'main.ts')));
  const allServers = SERVER_URL_KEYS.every((key) => key in urls);

  const kept: string[] = [];
  const sink: LineSink = (source, line) => {
    kept.push(`${source}: ${line}`);
    if (kept.length > OUTPUT_LINES_KEPT) kept.shift();
    options.log?.(source, line);
  };
  // Without MySQL the services keep their data in memory; their events meet in one file that
  // event-consumer follows into its in-memory feed and stats, as it follows JetStream otherwise.
  const eventLogDir = urls.MYSQL_URL ? undefined : mkdtempSync(join(tmpdir(), 'testbed-dev-events-'));
  const eventLogEnv: Record<string, string> = {};
  if (eventLogDir) {
    eventLogEnv['EVENT_LOG_FILE'] = join(eventLogDir, 'events.jsonl');
    writeFileSync(eventLogEnv['EVENT_LOG_FILE'], '');
  }
  let startingGateway: Promise<Gateway> | undefined;
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      // Also when stopped half-way through start-up: a gateway that is still starting is awaited, then closed.
      const gateway = await startingGateway?.catch(() => undefined);
      await gateway?.close();
      await processes.stop(STOP_GRACE_MS);
      if (eventLogDir) rmSync(eventLogDir, { recursive: true, force: true });
    })();
    return stopped;
  };
  const processes = new ProcessGroup(sink, (name, reason) => {
    sink('stack', `${name} stopped unexpectedly (${reason})`);
    if (options.onUnexpectedExit) options.onUnexpectedExit(name, reason);
    else void stop();
  });

  options.signal?.addEventListener('abort', () => void stop(), { once: true });

  try {
    await assertPortsFree([
      { port: ports.gateway, owner: 'dev gateway', key: 'gateway' },
      ...services.flatMap((s) => s.ports.map(({ key, port }) => ({ port, owner: s.name, key }))),
    ]);
    // firebase-tools is the slowest part to start; services only need the emulator's address, so all start at once.
    const emulatorHost = `127.0.0.1:${ports.authEmulator}`;
    const baseEnv: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      FIREBASE_PROJECT_ID: 'demo-testbed',
      FIREBASE_AUTH_EMULATOR_HOST: emulatorHost,
      ...serverEnv(urls),
      ...traceEnv(process.env),
      EVENT_LOG_FILE: '',
      ...eventLogEnv,
      ...options.serviceEnv,
    };
    const startServices = services.map((service) => {
      // Node directly rather than `pnpm start`: one process per service, signals reach it, and it starts faster.
      const args = ['--conditions=@testbed/source', '--import', 'tsx', '--import', '@testbed/service-kit/telemetry/register', 'src/main.ts'];
      const child = processes.run(service.name, process.execPath, args, {
        cwd: join(REPO_ROOT, service.dir),
        env: {
          ...baseEnv,
          // A partial set of servers is refused by such a service: it gets none, and runs in memory.
          ...(service.serversAllOrNone && !allServers ? serverEnv({}) : {}),
          OTEL_SERVICE_NAME: service.name,
          ...service.env,
        },
      });
      return waitUntilReady(service.name, service.readyUrl, child, SERVICE_START_TIMEOUT_MS);
    });
    // Vite's start (dependency pre-bundling) overlaps with the rest too; until each upstream is
    // ready, its routes answer 503 + Retry-After (a sign-up must not race the emulator's start).
    const readiness: Record<string, ReadinessProbe> = {
      [EMULATOR_SERVICE]: () => isAuthEmulator(emulatorHost),
      ...Object.fromEntries(services.map((service) => [service.name, () => urlAnswers(service.readyUrl)])),
    };
    startingGateway = startGateway({
      readiness,
      port: ports.gateway,
      host: process.env['GATEWAY_HOST'],
      spa: spaSource(options.spa ?? 'vite'),
      emulatorHost,
      servicePorts: gatewayServicePorts(ports),
      log: (line) => sink('gateway', line),
    });
    const [emulator] = await Promise.all([ensureAuthEmulator(REPO_ROOT, ports.authEmulator, processes), startingGateway, ...startServices]);
    sink('stack', emulator.started ? `started the Auth emulator on ${emulator.host}` : `using the Auth emulator already on ${emulator.host}`);
    const started = await startingGateway;
    options.signal?.throwIfAborted();
    return {
      url: started.url,
      ports: { ...ports, gateway: started.port },
      emulatorHost: emulator.host,
      adapters: describeAdapters(urls),
      services: services.map((s) => s.name),
      spa: started.spaDescription,
      output: () => kept.join('\n'),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function spaSource(choice: NonNullable<StackOptions['spa']>): SpaSource {
  if (choice === 'placeholder') return 'placeholder';
  if (choice === 'vite') return hasViteApp(FRONTEND_DIR) ? { vite: FRONTEND_DIR } : 'placeholder';
  return choice;
}

async function resolvePorts(choice: StackOptions['ports']): Promise<StackPorts> {
  if (choice !== 'free') return { ...DEFAULT_PORTS, ...choice };
  const [gateway, authGrpc, authHttp, publicApi, publicApiInternal, secureApi, eventConsumer] = await freePorts(7);
  // The emulator is shared: tests reuse the one on its usual port.
  return { ...DEFAULT_PORTS, gateway, authGrpc, authHttp, publicApi, publicApiInternal, secureApi, eventConsumer } as StackPorts;
}
