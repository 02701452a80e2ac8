import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export type { Redis } from 'ioredis';

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
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let wasReady = false;
  redis.on('ready', () => {
    wasReady = true;
    logger.info('redis connected');
  });
  redis.on('error', (error: Error) => {
    // ioredis emits an error per failed reconnect; one line per outage is enough.
    if (wasReady) logger.warn({ err: error.message }, 'redis connection lost');
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
