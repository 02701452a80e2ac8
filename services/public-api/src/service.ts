import { fileURLToPath } from 'node:url';
import type { Health, Metrics } from '@testbed/service-kit';
import {
  closeRedis,
  createMysqlPool,
  endMysqlPool,
  mysqlPoolSettings,
  createRedis,
  listenHttp,
  migrate,
  pingMysql,
  pingNatsOnceConnected,
  pingRedis,
  runShutdownSteps,
  runningService,
  serviceBasics,
  type Logger,
  type MysqlPoolSettings,
  type Redis,
  type RunningHttpServer,
  type RunningService,
  type ShutdownStep,
  type StartOptions,
  type StartService,
} from '@testbed/service-kit';
import {
  BackgroundOutboxRelay,
  FileEventOutbox,
  MemoryEventBus,
  MysqlOutbox,
  topologyFor,
  migrateOutbox,
  outboxProgress,
  type EventTopology,
} from '@testbed/service-kit/events';
import { GrpcAuthVerifier } from '@testbed/service-kit/auth';
import { ReadModelsClient } from './adapters/http/read-models.client.js';
import { MemoryMessageStore } from './adapters/memory/message.store.js';
import { MemoryRateLimitStore } from './adapters/memory/rate-limit.store.js';
import { MysqlMessageStore } from './adapters/mysql/message.store.js';
import { RedisRateLimitStore } from './adapters/redis/rate-limit.store.js';
import type { PublicApiConfig } from './config.js';
import type { MessageStore } from './domain/message.store.js';
import type { RateLimitStore } from './domain/rate-limit.store.js';
import { createApp, createInternalApp } from './http/app.js';

export const SERVICE_NAME = 'public-api';

export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

/** Knobs for tests and embedding; production runs with the defaults. */
export interface PublicApiOptions extends StartOptions {
  readonly host?: string;
  /** Stream and subject names the relay publishes to. */
  readonly topology?: EventTopology;
  /** Prefix of this service's own Redis keys (rate-limit counters). */
  readonly redisKeyPrefix?: string;
  /** How often the relay looks for unsent events without a nudge. */
  readonly relayPollIntervalMs?: number;
  /** Age of the oldest unsent event, in seconds, past which /readyz reports the outbox stalled; default 30. */
  readonly outboxStallAfterS?: number;
}

/** `port` and `url` are the public API's; the internal routes have their own port (INTERNAL_PORT). */
export interface RunningPublicApi extends RunningService {
  readonly internalPort: number;
  readonly internalUrl: string;
}

/** What the event side and the datastores leave to close, each in order of creation (closed in reverse). */
interface Closers {
  readonly drain: ShutdownStep[];
  readonly clients: ShutdownStep[];
}

/**
 * Builds the service from its config: the real adapter for each datastore whose URL is set, the
 * in-memory one otherwise, then listens (the kit's lifecycle shape). Events go through the MySQL
 * outbox (relayed to JetStream when NATS_URL is set) when MYSQL_URL is set, to EVENT_LOG_FILE
 * otherwise (or, without it, to an in-memory bus nobody reads). The activity feed and the stats
 * are event-consumer's: read through its read API at READ_MODELS_URL. Rejects, with what it
 * opened closed again, when a port is taken.
 */
export const startService: StartService<PublicApiConfig, RunningPublicApi, PublicApiOptions> = async (config, options = {}) => {
  const { logger, metrics, health } = serviceBasics(SERVICE_NAME, config.LOG_LEVEL, options);
  const closers: Closers = { drain: [], clients: [] };

  if (config.NATS_URL && !config.MYSQL_URL) {
    // Events leave the process only through the outbox, and the outbox lives in MySQL.
    logger.warn('NATS_URL is ignored without MYSQL_URL: events go to EVENT_LOG_FILE, or to the in-memory bus without it');
  }
  const events = config.MYSQL_URL
    ? await startOutbox(config.MYSQL_URL, config.NATS_URL, {
        logger,
        metrics,
        health,
        closers,
        options,
        poolSettings: mysqlPoolSettings(config),
        eventTopologyPrefix: config.EVENT_TOPOLOGY_PREFIX,
      })
    : startMemoryEvents(logger, closers, config.EVENT_LOG_FILE);

  let redis: Redis | undefined;
  if (config.REDIS_URL) {
    const client = createRedis(config.REDIS_URL, logger.child({ module: 'redis' }));
    redis = client;
    health.addCheck({ name: 'redis', critical: false, probe: () => pingRedis(client) });
    closers.clients.push({ name: 'redis', run: () => closeRedis(client) });
  }

  const readModels = new ReadModelsClient(config.READ_MODELS_URL, { timeoutMs: config.READ_MODELS_TIMEOUT_MS });
  // Only the feed and stats routes need event-consumer; messages keep being served without it.
  health.addCheck({ name: 'read-models', critical: false, probe: () => readModels.ping() });
  const rateLimits: RateLimitStore = redis
    ? new RedisRateLimitStore(redis, options.redisKeyPrefix ?? `testbed:${SERVICE_NAME}:ratelimit:`)
    : new MemoryRateLimitStore();

  const verifier = new GrpcAuthVerifier(config.AUTH_GRPC_ADDR, { metrics, deadlineMs: config.AUTH_VERIFY_TIMEOUT_MS });
  closers.clients.push({ name: 'auth-service channel', run: async () => verifier.close() });
  // Only the internal routes need auth-service; the public API keeps serving without it.
  health.addCheck({ name: 'auth-service', critical: false, probe: () => verifier.checkHealth() });

  const deps = {
    logger,
    metrics,
    health,
    messages: events.messages,
    activity: readModels,
    stats: readModels,
    rateLimits,
    writesPerMinute: config.RATE_LIMIT_PER_MINUTE,
    trustedProxyHops: config.TRUSTED_PROXY_HOPS,
  };
  const app = createApp(deps);
  // secure-api calls the internal port directly: no proxy in between, so no forwarded address to trust.
  const internalApp = createInternalApp({ ...deps, trustedProxyHops: 0, verifier });
  const drain = [...closers.drain].reverse();
  const clients = [...closers.clients].reverse();

  let server: RunningHttpServer | undefined;
  let internalServer: RunningHttpServer;
  try {
    server = await listenHttp(app, config.PORT, options.host ?? config.HOST);
    internalServer = await listenHttp(internalApp, config.INTERNAL_PORT, options.host ?? config.HOST);
  } catch (error) {
    await server?.close();
    await runShutdownSteps([...drain, ...clients], logger);
    throw error;
  }
  logger.info(
    {
      port: server.port,
      internalPort: internalServer.port,
      authGrpcAddr: config.AUTH_GRPC_ADDR,
      mysql: Boolean(config.MYSQL_URL),
      redis: Boolean(config.REDIS_URL),
      nats: Boolean(config.MYSQL_URL && config.NATS_URL),
      readModelsUrl: config.READ_MODELS_URL,
    },
    'public-api listening',
  );

  return runningService(
    {
      logger,
      health,
      metrics,
      port: server.port,
      shutdown: {
        entryPoints: [
          { name: 'http server', run: () => server.close() },
          { name: 'internal http server', run: () => internalServer.close() },
        ],
        drain,
        clients,
      },
    },
    { internalPort: internalServer.port, internalUrl: `http://127.0.0.1:${internalServer.port}` },
  );
};

interface EventSide {
  readonly messages: MessageStore;
}

/**
 * `pnpm dev` without servers: messages in memory, their events appended to `eventLogFile`, which
 * event-consumer follows into its in-memory read models (as it follows JetStream in production),
 * together with the events of secure-api and auth-service. Without the file the events go to an
 * in-memory bus that nothing reads.
 */
function startMemoryEvents(logger: Logger, closers: Closers, eventLogFile: string | undefined): EventSide {
  if (eventLogFile) return { messages: new MemoryMessageStore(new FileEventOutbox(eventLogFile)) };
  logger.warn(
    'neither MYSQL_URL nor EVENT_LOG_FILE is set: events stay in this process and nobody projects them, so the activity feed and stats will not show them',
  );
  const bus = new MemoryEventBus({ logger: logger.child({ module: 'event-bus' }) });
  closers.drain.push({ name: 'event bus', run: () => bus.stop() });
  return { messages: new MemoryMessageStore(bus) };
}

async function startOutbox(
  mysqlUrl: string,
  natsUrl: string | undefined,
  ctx: {
    logger: Logger;
    metrics: Metrics;
    health: Health;
    closers: Closers;
    options: PublicApiOptions;
    poolSettings: MysqlPoolSettings;
    eventTopologyPrefix: string | undefined;
  },
): Promise<EventSide> {
  const { logger, health, closers } = ctx;
  await migrate(mysqlUrl, migrationsDir, logger, SERVICE_NAME);
  await migrateOutbox(mysqlUrl, logger);
  const pool = createMysqlPool(mysqlUrl, ctx.poolSettings);
  health.addCheck({ name: 'mysql', critical: true, probe: () => pingMysql(pool) });
  closers.clients.push({ name: 'mysql', run: () => endMysqlPool(pool) });

  let relay: BackgroundOutboxRelay | undefined;
  if (natsUrl) {
    const started = new BackgroundOutboxRelay({
      natsUrl,
      name: SERVICE_NAME,
      pool,
      logger,
      metrics: ctx.metrics,
      topology: ctx.options.topology ?? topologyFor(ctx.eventTopologyPrefix),
      pollIntervalMs: ctx.options.relayPollIntervalMs,
    });
    relay = started;
    health.addCheck({
      name: 'nats',
      // Writes land in the outbox whatever NATS does; only delivery waits for it.
      critical: false,
      probe: () => pingNatsOnceConnected(started),
    });
    // Progress, not only a connection: events waiting longer than the limit mean delivery is stuck.
    health.addCheck({
      name: 'outbox',
      critical: false,
      probe: outboxProgress(pool, {
        metrics: ctx.metrics,
        ...(ctx.options.outboxStallAfterS === undefined ? {} : { stallAfterS: ctx.options.outboxStallAfterS }),
      }),
    });
    closers.drain.push({ name: 'outbox relay', run: () => started.stop() });
  } else {
    logger.warn('NATS_URL is not set: events are kept in the outbox table until a relay publishes them');
  }

  const outbox = new MysqlOutbox(pool, relay);
  return { messages: new MysqlMessageStore(pool, outbox) };
}
