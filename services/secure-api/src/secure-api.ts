import { fileURLToPath } from 'node:url';
import {
  createLogger,
  createMysqlPool,
  Health,
  listenHttp,
  Metrics,
  migrate,
  type Logger,
  type MysqlPool,
} from '@testbed/service-kit';
import { GrpcAuthVerifier } from './adapters/grpc/auth-client.js';
import { MemoryProfileStore } from './adapters/memory/profile.store.js';
import { MysqlProfileStore } from './adapters/mysql/profile.store.js';
import type { SecureApiConfig } from './config.js';
import type { ProfileStore } from './domain/profile.store.js';
import { createApp } from './http/app.js';

export const SERVICE_NAME = 'secure-api';

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

export interface RunningSecureApi {
  readonly port: number;
  readonly logger: Logger;
  readonly health: Health;
  /** Stops taking requests, lets in-flight ones finish, then closes the gRPC channel and the pool. */
  close(): Promise<void>;
}

async function openProfileStore(
  config: SecureApiConfig,
  logger: Logger,
): Promise<{ store: ProfileStore; pool?: MysqlPool }> {
  if (!config.MYSQL_URL) {
    logger.warn('MYSQL_URL is not set: profiles live in memory and vanish on restart');
    return { store: new MemoryProfileStore() };
  }
  await migrate(config.MYSQL_URL, MIGRATIONS_DIR, logger.child({ module: 'migrations' }));
  const pool = createMysqlPool(config.MYSQL_URL);
  return { store: new MysqlProfileStore(pool), pool };
}

/** Builds every part of secure-api and listens on config.PORT (0 picks a free port, for tests). */
export async function startSecureApi(
  config: SecureApiConfig,
  options: { logger?: Logger } = {},
): Promise<RunningSecureApi> {
  const logger = options.logger ?? createLogger({ service: SERVICE_NAME, level: config.LOG_LEVEL });
  const metrics = new Metrics(SERVICE_NAME);
  const health = new Health(logger.child({ module: 'health' }));

  const { store, pool } = await openProfileStore(config, logger);
  const verifier = new GrpcAuthVerifier(config.AUTH_GRPC_ADDR, { metrics });

  if (pool) health.addCheck({ name: 'mysql', critical: true, probe: () => store.ping() });
  // Without auth-service every API request would fail, so it is as critical as the database.
  health.addCheck({ name: 'auth-service', critical: true, probe: () => verifier.checkHealth() });

  const app = createApp({
    logger,
    metrics,
    health,
    verifier,
    profiles: store,
    freshAuthMaxAgeS: config.FRESH_AUTH_MAX_AGE_S,
  });
  let http;
  try {
    http = await listenHttp(app, config.PORT);
  } catch (error) {
    verifier.close();
    await pool?.end();
    throw error;
  }
  logger.info({ port: http.port, authGrpcAddr: config.AUTH_GRPC_ADDR, mysql: Boolean(pool) }, 'secure-api listening');

  let closing: Promise<void> | undefined;
  return {
    port: http.port,
    logger,
    health,
    close: () =>
      (closing ??= (async () => {
        health.markShuttingDown();
        await http.close();
        verifier.close();
        await pool?.end();
      })()),
  };
}
