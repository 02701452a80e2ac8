import { fileURLToPath } from 'node:url';
import {
  EMULATOR_PROJECT_ID,
  emulatorHost,
  freePort,
  privateMariadbServer,
  privateNatsServer,
  privateRedisServer,
  startServiceProcess,
  waitForUrl,
  type PrivateMariadbServer,
  type PrivateNatsServer,
  type PrivateRedisServer,
  type ServiceProcess,
} from '@testbed/service-kit/testing';
import { createConnection, type RowDataPacket } from 'mysql2/promise';

// The whole app as it runs in a pod: each service a child process started the way
// `pnpm --filter <name> start` does, against MariaDB, Redis and NATS servers of the stack's own
// (the same binaries as the shared ones on 3306/6379/4222, on free ports with temporary data
// directories), so a scenario can stop, kill and freeze them without disturbing anyone else.

export const SERVICE_NAMES = ['auth-service', 'public-api', 'secure-api', 'event-consumer'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

const DATABASE = 'testbed';

/** The MySQL bounds every service of the stack gets (the kit's defaults, set explicitly: the scenarios' bounds derive from them). */
export const MYSQL_TIMEOUTS = { connectMs: 2_000, queryMs: 5_000, poolWaitMs: 2_000 } as const;
const READY_TIMEOUT_MS = 150_000;

/** One service of the stack: a process that can be stopped and started again on the same ports. */
export interface StackService {
  readonly name: ServiceName;
  /** Base URL of its HTTP port (the API for public-api and secure-api; health and metrics for the others). */
  readonly url: string;
  /** The running process; undefined while stopped. */
  readonly process: ServiceProcess | undefined;
  /** Starts the process and resolves once /readyz answers 200. */
  start(): Promise<void>;
  /** Sends `signal` and resolves with the exit code (null after a fatal signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface Stack {
  readonly mariadb: PrivateMariadbServer;
  readonly redis: PrivateRedisServer;
  readonly nats: PrivateNatsServer;
  readonly mysqlUrl: string;
  readonly services: Readonly<Record<ServiceName, StackService>>;
  /** Rows of the activity feed of `type`, counted in the stack's database. */
  activityRows(type: string): Promise<number>;
  /** Outbox rows the relays have not published yet. */
  unsentEvents(): Promise<number>;
  /** Everything stopped, the servers thawed and stopped, their data directories removed. */
  dispose(): Promise<void>;
}

const packageDir = (name: ServiceName) => fileURLToPath(new URL(`../../services/${name}`, import.meta.url));

function stackService(name: ServiceName, httpPort: number, env: Record<string, string>): StackService {
  let current: ServiceProcess | undefined;
  const url = `http://127.0.0.1:${httpPort}`;
  return {
    name,
    url,
    get process() {
      return current;
    },
    start: async () => {
      if (current) throw new Error(`${name} is already running`);
      const started = startServiceProcess(packageDir(name), { ...env, PORT: String(httpPort) });
      current = started;
      try {
        await waitForUrl(`${url}/readyz`, {
          timeoutMs: READY_TIMEOUT_MS,
          intervalMs: 250,
          what: `${name} readiness`,
          giveUp: () => (started.child.exitCode === null ? undefined : `${name} exited with ${started.child.exitCode}`),
        });
      } catch (error) {
        current = undefined;
        await started.stop('SIGKILL');
        throw new Error(`${(error as Error).message}\n${started.output().slice(-4_000)}`, { cause: error });
      }
    },
    stop: async (signal = 'SIGTERM') => {
      const running = current;
      current = undefined;
      return running ? running.stop(signal) : null;
    },
  };
}

async function count(mysqlUrl: string, sql: string, params: string[] = []): Promise<number> {
  const connection = await createConnection(mysqlUrl);
  try {
    const [rows] = await connection.query<RowDataPacket[]>(sql, params);
    return Number(rows[0]?.['n']);
  } finally {
    await connection.end();
  }
}

/**
 * Starts private MariaDB, Redis and NATS servers, then auth-service, public-api, secure-api and
 * event-consumer against them (one database, the default key prefixes and stream names: the
 * servers are the stack's alone). `env` adds settings for every service (timeouts, shutdown delay).
 */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const [mariadb, redis, nats] = await Promise.all([privateMariadbServer(), privateRedisServer(), privateNatsServer()]);
  const started: StackService[] = [];
  const dispose = async () => {
    for (const server of [mariadb, redis, nats]) server.signal('SIGCONT');
    await Promise.all(started.map((service) => service.stop('SIGKILL')));
    await Promise.all([mariadb.dispose(), redis.stop(), nats.dispose()]);
  };
  try {
    await Promise.all([mariadb.start(), redis.start(), nats.start()]);
    const admin = await createConnection(mariadb.url(''));
    try {
      await admin.query(`CREATE DATABASE ${DATABASE} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    } finally {
      await admin.end();
    }
    const mysqlUrl = mariadb.url(DATABASE);
    const [authGrpc, authHttp, publicApi, publicApiInternal, secureApi, eventConsumer] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const common = {
      HOST: '127.0.0.1',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      MYSQL_URL: mysqlUrl,
      REDIS_URL: redis.url,
      NATS_URL: nats.url,
      MYSQL_CONNECT_TIMEOUT_MS: String(MYSQL_TIMEOUTS.connectMs),
      MYSQL_QUERY_TIMEOUT_MS: String(MYSQL_TIMEOUTS.queryMs),
      MYSQL_POOL_WAIT_TIMEOUT_MS: String(MYSQL_TIMEOUTS.poolWaitMs),
      ...env,
    };
    const authAddress = `127.0.0.1:${authGrpc}`;
    const services: Record<ServiceName, StackService> = {
      'auth-service': stackService('auth-service', authHttp, {
        ...common,
        GRPC_PORT: String(authGrpc),
        FIREBASE_PROJECT_ID: EMULATOR_PROJECT_ID,
        FIREBASE_AUTH_EMULATOR_HOST: emulatorHost(),
      }),
      'public-api': stackService('public-api', publicApi, {
        ...common,
        INTERNAL_PORT: String(publicApiInternal),
        AUTH_GRPC_ADDR: authAddress,
        // The feed and stats are event-consumer's: public-api reads them from its read API.
        READ_MODELS_URL: `http://127.0.0.1:${eventConsumer}`,
        // Bursts of writes from one client are the point here, not the limit.
        RATE_LIMIT_PER_MINUTE: '1000000',
      }),
      'secure-api': stackService('secure-api', secureApi, {
        ...common,
        AUTH_GRPC_ADDR: authAddress,
        PUBLIC_API_URL: `http://127.0.0.1:${publicApiInternal}`,
      }),
      'event-consumer': stackService('event-consumer', eventConsumer, {
        ...common,
        // Events pulled by a killed consumer come back after this; the default 30 s only waits.
        EVENT_ACK_WAIT_S: '3',
      }),
    };
    // All at once: migrations take a per-database lock, and a service whose neighbour is not up yet
    // simply is not ready yet.
    started.push(...Object.values(services));
    const starts = await Promise.allSettled(started.map((service) => service.start()));
    const failed = starts.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    return {
      mariadb,
      redis,
      nats,
      mysqlUrl,
      services,
      activityRows: (type) => count(mysqlUrl, 'SELECT COUNT(*) AS n FROM activity WHERE type = ?', [type]),
      unsentEvents: () => count(mysqlUrl, 'SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL'),
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}
