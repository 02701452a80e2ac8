import { fileURLToPath } from 'node:url';
import {
  createLogger,
  createMysqlPool,
  Health,
  listenHttp,
  Metrics,
  migrate,
  pingNatsOnceConnected,
  type Logger,
  type MysqlPool,
} from '@testbed/service-kit';
import {
  BackgroundOutboxRelay,
  MemoryEventBus,
  MysqlOutbox,
  migrateOutbox,
  type EventTopology,
} from '@testbed/service-kit/events';
import { GrpcAuthVerifier } from './adapters/grpc/auth-client.js';
import { PublicApiClient } from './adapters/http/public-api.client.js';
import { MemoryProfileStore } from './adapters/memory/profile.store.js';
import { MysqlProfileStore } from './adapters/mysql/profile.store.js';
import type { SecureApiConfig } from './config.js';
import type { ProfileStore } from './domain/profile.store.js';
import { createApp } from './http/app.js';

export const SERVICE_NAME = 'secure-api';

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

export interface SecureApiOptions {
  readonly logger?: Logger;
  /** Stream and subject names the outbox relay publishes to; tests use their own. */
  readonly topology?: EventTopology;
  /** The in-memory bus used without MySQL; tests pass one to watch the events. */
  readonly memoryBus?: MemoryEventBus;
}

export interface RunningSecureApi {
  readonly port: number;
  readonly logger: Logger;
  readonly health: Health;
  /** Rows of the outbox not yet published, when running on MySQL with NATS; for tests. */
  pendingEvents(): Promise<number> | undefined;
  /** Stops taking requests, lets in-flight ones finish, then closes the relay, the gRPC channel and the pool. */
  close(): Promise<void>;
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
async function openProfiles(
  config: SecureApiConfig,
  logger: Logger,
  metrics: Metrics,
  options: SecureApiOptions,
): Promise<ProfileSide> {
  if (!config.MYSQL_URL) {
    logger.warn('MYSQL_URL is not set: profiles live in memory and vanish on restart');
    if (config.NATS_URL) logger.warn('NATS_URL is ignored without MYSQL_URL: events go to the in-memory bus');
    const bus = options.memoryBus ?? new MemoryEventBus({ logger: logger.child({ module: 'event-bus' }) });
    return { store: new MemoryProfileStore({ outbox: bus }), bus };
  }
  await migrate(config.MYSQL_URL, MIGRATIONS_DIR, logger.child({ module: 'migrations' }), SERVICE_NAME);
  await migrateOutbox(config.MYSQL_URL, logger.child({ module: 'migrations' }));
  const pool = createMysqlPool(config.MYSQL_URL);
  let relay: BackgroundOutboxRelay | undefined;
  if (config.NATS_URL) {
    relay = new BackgroundOutboxRelay({
      natsUrl: config.NATS_URL,
      name: SERVICE_NAME,
      pool,
      logger: logger.child({ module: 'outbox' }),
      metrics,
      ...(options.topology ? { topology: options.topology } : {}),
    });
  } else {
    logger.warn('NATS_URL is not set: events are kept in the outbox table until a relay publishes them');
  }
  return { store: new MysqlProfileStore(pool, new MysqlOutbox(pool, relay)), pool, ...(relay ? { relay } : {}) };
}

/** Builds every part of secure-api and listens on config.PORT (0 picks a free port, for tests). */
export async function startSecureApi(config: SecureApiConfig, options: SecureApiOptions = {}): Promise<RunningSecureApi> {
  const logger = options.logger ?? createLogger({ service: SERVICE_NAME, level: config.LOG_LEVEL });
  const metrics = new Metrics(SERVICE_NAME);
  const health = new Health(logger.child({ module: 'health' }));

  const { store, pool, relay, bus } = await openProfiles(config, logger, metrics, options);
  const verifier = new GrpcAuthVerifier(config.AUTH_GRPC_ADDR, { metrics });
  const messageBoard = new PublicApiClient(config.PUBLIC_API_URL, { timeoutMs: config.PUBLIC_API_TIMEOUT_MS });

  if (pool) health.addCheck({ name: 'mysql', critical: true, probe: () => store.ping() });
  // Without auth-service every API request would fail, so it is as critical as the database.
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

  const closeDependencies = async () => {
    await relay?.stop();
    verifier.close();
    await pool?.end();
    if (bus && !options.memoryBus) await bus.stop();
  };

  const app = createApp({
    logger,
    metrics,
    health,
    verifier,
    profiles: store,
    messageBoard,
    freshAuthMaxAgeS: config.FRESH_AUTH_MAX_AGE_S,
  });
  let http;
  try {
    http = await listenHttp(app, config.PORT);
  } catch (error) {
    await closeDependencies();
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

  let closing: Promise<void> | undefined;
  return {
    port: http.port,
    logger,
    health,
    pendingEvents: () => relay?.pendingCount(),
    close: () =>
      (closing ??= (async () => {
        health.markShuttingDown();
        await http.close();
        await closeDependencies();
      })()),
  };
}
