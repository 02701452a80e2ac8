import type { Redis } from '@testbed/service-kit';
import type { SiteStats } from '../../domain/stats.js';

export const DEFAULT_STATS_PREFIX = 'testbed:stats';

/**
 * Redis keys of the public stats: event-consumer's keyspace, written by its `stats` consumer and
 * read by its read API (public-api reads the stats through that API, never these keys). `messages` and `signIns` are integers (INCR), `users` is a SET of uids (SCARD),
 * `updatedAt` the ISO time of the last event applied.
 */
export function statsKeys(prefix = DEFAULT_STATS_PREFIX) {
  return {
    messages: `${prefix}:messages`,
    signIns: `${prefix}:sign_ins`,
    users: `${prefix}:users`,
    updatedAt: `${prefix}:updated_at`,
    /** Marker that one consumer already applied one event (SET NX with a TTL). */
    applied: (consumer: string, eventId: string) => `${prefix}:applied:${consumer}:${eventId}`,
  } as const;
}

/** Reads all stats in one round trip; keys that do not exist yet count as zero. */
export async function readStats(redis: Redis, prefix = DEFAULT_STATS_PREFIX): Promise<SiteStats> {
  const keys = statsKeys(prefix);
  const results = await redis.multi().get(keys.messages).scard(keys.users).get(keys.signIns).get(keys.updatedAt).exec();
  if (!results) throw new Error('redis transaction was aborted');
  const values = results.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
  return {
    messages: Number(values[0] ?? 0),
    users: Number(values[1] ?? 0),
    signIns: Number(values[2] ?? 0),
    updatedAt: typeof values[3] === 'string' ? values[3] : null,
  };
}
