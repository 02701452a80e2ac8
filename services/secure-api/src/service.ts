import { fileURLToPath } from 'node:url';
import type { Metrics } from '@testbed/service-kit';
import {
  createMysqlPool,
  endMysqlPool,
  mysqlPoolSettings,
  listenHttp,
  migrate,
  pingNatsOnceConnected,
  runShutdownSteps,
  runningService,
  serviceBasics,
  type Logger,
  type MysqlPool,
  type RunningService,
  type ShutdownPlan,
  type StartOptions,
  type StartService,
} from '@testbed/service-kit';
import {
  BackgroundOutboxRelay,
  FileEventOutbox,
  MemoryEventBus,
  MysqlOutbox,
  migrateOutbox,
  outboxProgress,
  topologyFor,
  type EventTopology,
} from '@testbed/service-kit/events';
import { GrpcAuthVerifier } from '@testbed/service-kit/auth';
import { PublicApiClient } from './adapters/http/public-api.client.js';
import { MemoryProfileStore } from './adapters/memory/profile.store.js';
import { MysqlProfileStore } from './adapters/mysql/profile.store.js';
import type { SecureApiConfig } from './config.js';
import type { ProfileStore } from './domain/profile.store.js';
import { createApp } from './http/app.js';

export const SERVICE_NAME = 'secure-api';

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

export interface SecureApiOptions extends StartOptions {
  /** Stream and subject names the outbox relay publishes to; tests use their own. */
  readonly topology?: EventTopology;
  /** Age of the oldest unsent event, in seconds, past which /readyz reports the outbox stalled; default 30. */
  readonly outboxStallAfterS?: number;
  /** The in-memory bus used without MySQL; tests pass one to watch the events. */
  readonly memoryBus?: MemoryEventBus;
}

export interface RunningSecureApi extends RunningService {
  /** Rows of the outbox not yet published, when running on MySQL with NATS; for tests. */
  pendingEvents(): Promise<number> | undefined;
}

interface ProfileSide {
  readonly store: ProfileStore;
  readonly pool?: MysqlPool;
  readonly relay?: BackgroundOutboxRelay;
  readonly bus?: MemoryEventBus;
}

/**
 * Profiles and their events: MySQL with the transactional outbox (relayed to JetStream when
 * NATS_URL is set), or memory with the in-memory bus.
 */
async function openProfiles(config: SecureApiConfig, logger: Logger, metrics: Metrics, options: SecureApiOptions): Promise<ProfileSide> {
  if (!config.MYSQL_URL) {
    logger.warn('MYSQL_URL is not set: profiles live in memory and vanish on restart');
    if (config.NATS_URL) logger.warn('NATS_URL is ignored without MYSQL_URL: events go to the in-memory bus');
    if (config.EVENT_LOG_FILE && !options.memoryBus) {
      // pnpm dev: event-consumer keeps the read models in memory and follows this file.
      return { store: new MemoryProfileStore({ outbox: new FileEventOutbox(config.EVENT_LOG_FILE) }) };
    }
    const bus = options.memoryBus ?? new MemoryEventBus({ logger: logger.child({ module: 'event-bus' }) });
    return { store: new MemoryProfileStore({ outbox: bus }), bus };
  }
  await migrate(config.MYSQL_URL, MIGRATIONS_DIR, logger.child({ module: 'migrations' }), SERVICE_NAME);
  await migrateOutbox(config.MYSQL_URL, logger.child({ module: 'migrations' }));
  const pool = createMysqlPool(config.MYSQL_URL, mysqlPoolSettings(config));
  let relay: BackgroundOutboxRelay | undefined;
  if (config.NATS_URL) {
    relay = new BackgroundOutboxRelay({
      natsUrl: config.NATS_URL,
      name: SERVICE_NAME,
      pool,
      logger: logger.child({ module: 'outbox' }),
      metrics,
      topology: options.topology ?? topologyFor(config.EVENT_TOPOLOGY_PREFIX),
    });
  } else {
    logger.warn('NATS_URL is not set: events are kept in the outbox table until a relay publishes them');
  }
  return { store: new MysqlProfileStore(pool, new MysqlOutbox(pool, relay)), pool, ...(relay ? { relay } : {}) };
}

/**
 * Builds every part of secure-api and listens on config.PORT (0 picks a free port, for tests), the
 * kit's lifecycle shape. Rejects, with what it opened closed again, when the port is taken.
 */
export const startService: StartService<SecureApiConfig, RunningSecureApi, SecureApiOptions> = async (config, options = {}) => {
  const { logger, metrics, health } = serviceBasics(SERVICE_NAME, config.LOG_LEVEL, options);

  const { store, pool, relay, bus } = await openProfiles(config, logger, metrics, options);
  const verifier = new GrpcAuthVerifier(config.AUTH_GRPC_ADDR, { metrics, deadlineMs: config.AUTH_VERIFY_TIMEOUT_MS });
  const messageBoard = new PublicApiClient(config.PUBLIC_API_URL, { timeoutMs: config.PUBLIC_API_TIMEOUT_MS });

  if (pool) health.addCheck({ name: 'mysql', critical: true, probe: () => store.ping() });
  // Without auth-service every API request would fail, so it is as critical as the database. The
  // probe rides the verifications' channel, so readiness comes back as soon as requests would work.
  health.addCheck({ name: 'auth-service', critical: true, probe: () => verifier.checkHealth() });
  // Only posting and "my activity" need public-api; profiles keep working without it.
  health.addCheck({ name: 'public-api', critical: false, probe: () => messageBoard.ping() });
  if (relay) {
    // Profile writes land in the outbox whatever NATS does; only delivery waits for it.
    health.addCheck({
      name: 'nats',
      critical: false,
      probe: () => pingNatsOnceConnected(relay),
    });
  }
  if (relay && pool) {
    // Progress, not only a connection: events waiting longer than the limit mean delivery is stuck.
    health.addCheck({
      name: 'outbox',
      critical: false,
      probe: outboxProgress(pool, {
        metrics,
        ...(options.outboxStallAfterS === undefined ? {} : { stallAfterS: options.outboxStallAfterS }),
      }),
    });
  }

  const afterEntryPoints: Omit<ShutdownPlan, 'entryPoints'> = {
    drain: [
      ...(relay ? [{ name: 'outbox relay', run: () => relay.stop() }] : []),
      // A bus the caller passed in is the caller's to stop.
      ...(bus && !options.memoryBus ? [{ name: 'event bus', run: () => bus.stop() }] : []),
    ],
    clients: [{ name: 'auth-service channel', run: async () => verifier.close() }, ...(pool ? [{ name: 'mysql', run: () => endMysqlPool(pool) }] : [])],
  };

  const app = createApp({
    logger,
    metrics,
    health,
    verifier,
    profiles: store,
    messageBoard,
    trustedProxyHops: config.TRUSTED_PROXY_HOPS,
  });
  let http;
  try {
    http = await listenHttp(app, config.PORT, config.HOST);
  } catch (error) {
    await runShutdownSteps([...(afterEntryPoints.drain ?? []), ...afterEntryPoints.clients], logger);
    throw error;
  }
  logger.info(
    {
      port: http.port,
      authGrpcAddr: config.AUTH_GRPC_ADDR,
      publicApiUrl: config.PUBLIC_API_URL,
      mysql: Boolean(pool),
      nats: Boolean(relay),
    },
    'secure-api listening',
  );

  return runningService(
    {
      logger,
      health,
      metrics,
      port: http.port,
      shutdown: { entryPoints: [{ name: 'http server', run: () => http.close() }], ...afterEntryPoints },
    },
    { pendingEvents: () => relay?.pendingCount() },
  );
};
