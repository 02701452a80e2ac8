import {
  closeRedis,
  createRedis,
  listenHttp,
  pingNatsOnceConnected,
  pingRedis,
  runningService,
  serviceBasics,
  type Redis,
  type RunningHttpServer,
  type RunningService,
  type StartOptions,
  type StartService,
} from '@testbed/service-kit';
import { FirebaseTokenVerifier } from './adapters/firebase/firebase-token-verifier.js';
import { FileEventPublisher } from './adapters/file/file-event-publisher.js';
import { LogEventPublisher } from './adapters/log/log-event-publisher.js';
import { JetStreamEventPublisher } from './adapters/nats/jetstream-event-publisher.js';
import { MemorySessionStateStore } from './adapters/memory/memory-session-state.js';
import { MemoryVerificationCache } from './adapters/memory/memory-verification-cache.js';
import { RedisSessionStateStore } from './adapters/redis/redis-session-state.js';
import { RedisVerificationCache } from './adapters/redis/redis-verification-cache.js';
import type { AuthServiceConfig } from './config.js';
import { topologyFor, type EventTopology } from '@testbed/service-kit/events';
import { systemClock, type SessionStateStore, type VerificationCache } from './domain/ports.js';
import { VerifyToken } from './domain/verify-token.js';
import { authServiceHandlers } from './grpc/auth.handlers.js';
import { AUTH_SERVICE_NAME, startGrpcServer, type RunningGrpcServer } from './grpc/server.js';
import { createApp } from './http/app.js';

export const SERVICE_NAME = 'auth-service';

/** `port` is the HTTP port (health and metrics); the API is on `grpcPort`. */
export interface RunningAuthService extends RunningService {
  readonly grpcPort: number;
  /** Resolves once the sign-in announcements started so far have finished; for tests. */
  announcementsSettled(): Promise<void>;
}

export interface AuthServiceOptions extends StartOptions {
  /** Stream and subject names sign-ins are published to; tests use their own. */
  readonly topology?: EventTopology;
}

function stores(
  config: AuthServiceConfig,
  redis: Redis | undefined,
): {
  cache: VerificationCache;
  sessionState: SessionStateStore;
} {
  if (!redis) {
    const sessionState = new MemorySessionStateStore();
    return { cache: new MemoryVerificationCache(sessionState), sessionState };
  }
  return {
    cache: new RedisVerificationCache(redis, config.REDIS_KEY_PREFIX),
    sessionState: new RedisSessionStateStore(redis, config.REDIS_KEY_PREFIX),
  };
}

/**
 * Builds and starts everything the auth-service runs (the gRPC API, the HTTP health and metrics
 * port), the kit's lifecycle shape; main.ts and the integration tests share it. Rejects, with
 * what it opened closed again, when a port is taken.
 */
export const startService: StartService<AuthServiceConfig, RunningAuthService, AuthServiceOptions> = async (config, options = {}) => {
  const { logger, metrics, health } = serviceBasics(SERVICE_NAME, config.LOG_LEVEL, options);

  const verifications = metrics.counter('auth_firebase_verifications_total', 'Calls into firebase-admin to verify an ID token, by outcome', ['result']);
  const cacheResults = metrics.counter('auth_token_cache_total', 'Verification cache lookups, by outcome', ['result']);
  // Export every outcome from the first scrape, so rate() and alerts see zeros rather than gaps.
  for (const result of ['ok', 'rejected', 'error'] as const) verifications.inc({ result }, 0);
  for (const result of ['hit', 'miss', 'bypass', 'error'] as const) cacheResults.inc({ result }, 0);

  const redis = config.REDIS_URL === undefined ? undefined : createRedis(config.REDIS_URL, logger.child({ module: 'redis' }));
  // Redis only speeds verification up and sharpens the level; without it the service still serves.
  if (redis) health.addCheck({ name: 'redis', critical: false, probe: () => pingRedis(redis) });
  else logger.info('REDIS_URL is not set; using in-memory cache and session state (single replica only)');

  const verifier = new FirebaseTokenVerifier({
    projectId: config.FIREBASE_PROJECT_ID,
    timeoutMs: config.FIREBASE_VERIFY_TIMEOUT_MS,
    onVerification: (result) => verifications.inc({ result }),
  });
  // With NATS, sign-ins go to JetStream; without it, to pnpm dev's event log file when there is
  // one (event-consumer's in-memory read models follow it), else to the log.
  const nats =
    config.NATS_URL === undefined
      ? undefined
      : new JetStreamEventPublisher({
          natsUrl: config.NATS_URL,
          name: SERVICE_NAME,
          logger: logger.child({ module: 'events' }),
          timeoutMs: config.NATS_PUBLISH_TIMEOUT_MS,
          topology: options.topology ?? topologyFor(config.EVENT_TOPOLOGY_PREFIX),
        });
  if (nats) {
    // Verification never needs NATS; a sign-in not announced yet is retried by a later verification.
    health.addCheck({ name: 'nats', critical: false, probe: () => pingNatsOnceConnected(nats) });
  }
  const verifyToken = new VerifyToken({
    verifier,
    ...stores(config, redis),
    events: nats ?? (config.EVENT_LOG_FILE ? new FileEventPublisher(config.EVENT_LOG_FILE) : new LogEventPublisher(logger.child({ module: 'events' }))),
    observer: { cache: (result) => cacheResults.inc({ result }) },
    clock: systemClock,
    logger: logger.child({ module: 'verify-token' }),
    freshAuthWindowS: config.FRESH_AUTH_WINDOW_S,
    storeBudgetMs: redis ? config.REDIS_BUDGET_MS : Number.POSITIVE_INFINITY,
    verifierTimeoutMs: config.FIREBASE_VERIFY_TIMEOUT_MS,
  });

  // If a port is taken, release what is already open so the caller (or a test) can retry cleanly.
  let grpc: RunningGrpcServer | undefined;
  let http: RunningHttpServer;
  try {
    grpc = await startGrpcServer({
      host: config.HOST,
      port: config.GRPC_PORT,
      handlers: authServiceHandlers({
        verifyToken,
        freshAuthWindowS: config.FRESH_AUTH_WINDOW_S,
        logger: logger.child({ module: 'grpc' }),
        metrics,
      }),
      reflection: config.NODE_ENV !== 'production',
    });
    http = await listenHttp(createApp({ logger, metrics, health }), config.PORT, config.HOST);
  } catch (error) {
    await grpc?.stop(0);
    await nats?.close();
    await verifier.close();
    if (redis) await closeRedis(redis);
    throw error;
  }
  logger.info({ grpcPort: grpc.port, httpPort: http.port, projectId: config.FIREBASE_PROJECT_ID }, 'auth-service listening');

  // Kubernetes probes gRPC health natively: it must go NOT_SERVING when /readyz goes not-ready.
  health.onShuttingDown(() => {
    grpc.health.setStatus('', 'NOT_SERVING');
    grpc.health.setStatus(AUTH_SERVICE_NAME, 'NOT_SERVING');
  });
  // Leave a second of the overall deadline for the steps after the gRPC drain.
  const grpcGraceMs = Math.max(config.SHUTDOWN_TIMEOUT_MS - 1000, 500);
  return runningService(
    {
      logger,
      health,
      metrics,
      port: http.port,
      shutdown: {
        entryPoints: [
          { name: 'grpc server', run: () => grpc.stop(grpcGraceMs) },
          { name: 'http server', run: () => http.close() },
        ],
        // Each attempt is bounded by NATS_PUBLISH_TIMEOUT_MS; one not finished is retried after restart.
        drain: [{ name: 'sign-in announcements', run: () => verifyToken.announcementsSettled() }],
        clients: [
          ...(nats ? [{ name: 'nats', run: () => nats.close() }] : []),
          { name: 'firebase', run: () => verifier.close() },
          ...(redis ? [{ name: 'redis', run: () => closeRedis(redis) }] : []),
        ],
      },
    },
    { grpcPort: grpc.port, announcementsSettled: () => verifyToken.announcementsSettled() },
  );
};
