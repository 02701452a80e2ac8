// Everything one bench run measures, started the way production runs it: the compiled services
// (`node dist/main.js`, as services/Dockerfile's CMD), the dev gateway, and the bare baselines,
// each in its own process, against private MariaDB, Redis and NATS on loopback.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { mysqlOptionsFromUrl } from '@testbed/service-kit';
import { freePort, waitForUrl } from '@testbed/service-kit/testing';
import { startDatastores, type Datastores } from './datastores.js';
import { spawnLogged, type LoggedProcess } from './process.js';
import { BENCH_ROOT, REPO_ROOT } from '../paths.js';

const run = promisify(execFile);

/** Database and JetStream names of their own, so a bench never meets a test run's data. */
const BENCH_DATABASE = 'testbed_bench';
const BENCH_TOPOLOGY_PREFIX = 'bench';
const START_TIMEOUT_MS = 60_000;

export interface Stack {
  readonly datastores: Datastores;
  /** mysql://…/testbed_bench */
  readonly mysqlUrl: string;
  readonly emulatorHost: string;
  readonly publicApiUrl: string;
  readonly secureApiUrl: string;
  /** event-consumer's HTTP base URL: its read API (/read-models) serves the feed and stats it owns. */
  readonly readModelsUrl: string;
  readonly gatewayUrl: string;
  readonly authGrpcAddr: string;
  readonly httpBaselineUrl: string;
  readonly grpcBaselineAddr: string;
  /** The processes whose memory the report shows, by name. */
  readonly measured: readonly LoggedProcess[];
  /** The bare baseline servers (their CPU is measured too). */
  readonly baselines: readonly LoggedProcess[];
  stop(): Promise<void>;
}

export interface StackOptions {
  /** `pnpm build` the services first (default); off when dist/ is known to be fresh. */
  readonly build: boolean;
  readonly emulatorHost: string;
  /** Directory for the processes' log files. */
  readonly logDir: string;
  readonly log: (line: string) => void;
  /**
   * Receives the stack's stop function as soon as there is something to stop (before the services
   * are up), so a Ctrl-C during start-up leaves nothing behind. After it is called, start-up fails.
   */
  readonly onStoppable?: (stop: () => Promise<void>) => void;
}

/** The packages the services need, compiled to dist/ as the container images build them. */
async function buildServices(): Promise<void> {
  await run('pnpm', ['--filter', '{services/*}...', 'build'], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
}

const tsxArgs = (entry: string) => ['--conditions=@testbed/source', '--import', 'tsx', entry];

export async function startStack(options: StackOptions): Promise<Stack> {
  if (options.build) {
    options.log('building the services (pnpm --filter "{services/*}..." build)');
    await buildServices();
  }
  options.log('starting private MariaDB, Redis and NATS');
  const datastores = await startDatastores();
  const processes: LoggedProcess[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const process of [...processes].reverse()) await process.stop();
      await datastores.stop();
    })());
  options.onStoppable?.(stop);
  try {
    const admin = await createConnection({ ...mysqlOptionsFromUrl(datastores.mysqlServerUrl), database: undefined });
    await admin.query(`CREATE DATABASE IF NOT EXISTS \`${BENCH_DATABASE}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.end();
    const mysqlUrl = `${datastores.mysqlServerUrl}/${BENCH_DATABASE}`;

    const [authGrpc, authHttp, publicApi, publicInternal, secureApi, consumer, gateway, httpBaseline, grpcBaseline, grpcBaselineHttp] = await Promise.all(
      Array.from({ length: 10 }, () => freePort()),
    );
    const common: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      MYSQL_URL: mysqlUrl,
      REDIS_URL: datastores.redisUrl,
      NATS_URL: datastores.natsUrl,
      EVENT_TOPOLOGY_PREFIX: BENCH_TOPOLOGY_PREFIX,
    };
    const start = async (name: string, env: NodeJS.ProcessEnv, readyUrl: string, args?: readonly string[], cwd?: string) => {
      if (stopping) throw new Error(`not starting ${name}: the bench is stopping`);
      const child = spawnLogged(name, process.execPath, args ?? ['dist/main.js'], {
        cwd: cwd ?? join(REPO_ROOT, 'services', name),
        env: { ...common, ...env },
        logFile: join(options.logDir, `${name}.log`),
      });
      processes.push(child);
      await waitForUrl(readyUrl, {
        timeoutMs: START_TIMEOUT_MS,
        what: `${name} at ${readyUrl} (log: ${child.logFile})`,
        giveUp: () => (child.alive() ? undefined : `${name} exited during start-up; see ${child.logFile}`),
      });
      options.log(`${name} ready (pid ${child.pid})`);
      return child;
    };

    options.log('starting the services');
    // auth-service refuses the emulator under NODE_ENV=production (it would accept unsigned tokens).
    const auth = start(
      'auth-service',
      {
        NODE_ENV: 'test',
        GRPC_PORT: String(authGrpc),
        PORT: String(authHttp),
        FIREBASE_PROJECT_ID: 'demo-testbed',
        FIREBASE_AUTH_EMULATOR_HOST: options.emulatorHost,
      },
      `http://127.0.0.1:${authHttp}/healthz`,
    );
    // public-api first: the services share one database, so their migrations run one after another.
    const publicProcess = await start(
      'public-api',
      {
        PORT: String(publicApi),
        INTERNAL_PORT: String(publicInternal),
        AUTH_GRPC_ADDR: `127.0.0.1:${authGrpc}`,
        // The feed and stats are event-consumer's (started below): read through its read API.
        READ_MODELS_URL: `http://127.0.0.1:${consumer}`,
        // The benchmark is one client address posting as fast as it can.
        RATE_LIMIT_PER_MINUTE: '1000000000',
        TRUSTED_PROXY_HOPS: '1',
      },
      `http://127.0.0.1:${publicApi}/healthz`,
    );
    const secure = await start(
      'secure-api',
      {
        PORT: String(secureApi),
        AUTH_GRPC_ADDR: `127.0.0.1:${authGrpc}`,
        PUBLIC_API_URL: `http://127.0.0.1:${publicInternal}`,
        TRUSTED_PROXY_HOPS: '1',
      },
      `http://127.0.0.1:${secureApi}/healthz`,
    );
    const consumerProcess = await start('event-consumer', { PORT: String(consumer) }, `http://127.0.0.1:${consumer}/healthz`);
    const authProcess = await auth;
    const gatewayProcess = await start(
      'gateway',
      {
        BENCH_GATEWAY_PORT: String(gateway),
        BENCH_EMULATOR_HOST: options.emulatorHost,
        BENCH_SERVICE_PORTS: JSON.stringify({ 'auth-service': authGrpc, 'public-api': publicApi, 'secure-api': secureApi }),
      },
      `http://127.0.0.1:${gateway}/api/public/healthz`,
      tsxArgs(join(BENCH_ROOT, 'src', 'stack', 'gateway-process.ts')),
      BENCH_ROOT,
    );
    const httpBaselineProcess = await start(
      'http-baseline',
      { PORT: String(httpBaseline) },
      `http://127.0.0.1:${httpBaseline}/healthz`,
      tsxArgs(join(BENCH_ROOT, 'src', 'baselines', 'http-baseline.ts')),
      BENCH_ROOT,
    );
    const grpcBaselineProcess = await start(
      'grpc-baseline',
      { GRPC_PORT: String(grpcBaseline), PORT: String(grpcBaselineHttp) },
      `http://127.0.0.1:${grpcBaselineHttp}/healthz`,
      tsxArgs(join(BENCH_ROOT, 'src', 'baselines', 'grpc-baseline.ts')),
      BENCH_ROOT,
    );
    return {
      datastores,
      mysqlUrl,
      emulatorHost: options.emulatorHost,
      publicApiUrl: `http://127.0.0.1:${publicApi}`,
      secureApiUrl: `http://127.0.0.1:${secureApi}`,
      readModelsUrl: `http://127.0.0.1:${consumer}`,
      gatewayUrl: `http://127.0.0.1:${gateway}`,
      authGrpcAddr: `127.0.0.1:${authGrpc}`,
      httpBaselineUrl: `http://127.0.0.1:${httpBaseline}`,
      grpcBaselineAddr: `127.0.0.1:${grpcBaseline}`,
      measured: [publicProcess, secure, authProcess, consumerProcess, gatewayProcess],
      baselines: [httpBaselineProcess, grpcBaselineProcess],
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
