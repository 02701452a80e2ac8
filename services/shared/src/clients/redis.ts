import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export type { Redis } from 'ioredis';

/** Longest pause between reconnect attempts: after Redis returns, the client is back within about this. */
export const REDIS_MAX_RECONNECT_DELAY_MS = 500;

/**
 * ioredis `retryStrategy`: milliseconds before reconnect attempt `attempt` (1, 2, ...), growing
 * by 100 ms per attempt up to REDIS_MAX_RECONNECT_DELAY_MS, and never giving up. A cap of seconds
 * would leave the service failing for that long after Redis is back.
 */
export const redisReconnectDelayMs = (attempt: number): number => Math.min(attempt * 100, REDIS_MAX_RECONNECT_DELAY_MS);

/**
 * A Redis client that fails fast instead of queueing: callers use Redis as a cache or a shared
 * counter and must fall back (or answer 503) rather than hang while Redis is away. It keeps
 * reconnecting in the background.
 */
export function createRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1_000,
    connectTimeout: 2_000,
    retryStrategy: redisReconnectDelayMs,
  });
  let wasReady = false;
  redis.on('ready', () => {
    wasReady = true;
    logger.info('redis connected');
  });
  redis.on('error', (error: Error) => {
    // ioredis emits an error per failed reconnect; one line per outage is enough.
    if (wasReady) logger.warn({ err: error }, 'redis connection lost');
    wasReady = false;
  });
  return redis;
}

export const pingRedis = async (redis: Redis): Promise<void> => {
  await redis.ping();
};

/** QUIT flushes politely; when Redis is already gone there is nothing to flush, so just drop the socket. */
export async function closeRedis(redis: Redis): Promise<void> {
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
