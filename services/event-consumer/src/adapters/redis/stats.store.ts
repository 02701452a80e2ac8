import { AppError, classifyFailure, type Redis } from '@testbed/service-kit';
import { randomUUID } from 'node:crypto';
import type { SiteStats, StatsChange, StatsReader, StatsSnapshot, StatsStore } from '../../domain/stats.js';
import { readStats, statsKeys } from './stats-keys.js';

// updated_at holds UTC ISO strings of one fixed shape, so comparing them as strings compares times.
// Marks the event applied and changes the counters in one atomic step: a redelivery finds the
// marker and changes nothing, and a crash can never leave the marker without the counts.
const APPLY_ONCE = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 0 end
if ARGV[2] ~= '0' then redis.call('INCRBY', KEYS[2], ARGV[2]) end
if ARGV[3] ~= '0' then redis.call('INCRBY', KEYS[3], ARGV[3]) end
if ARGV[4] ~= '' then redis.call('SADD', KEYS[4], ARGV[4]) end
local newest = redis.call('GET', KEYS[5])
if not newest or newest < ARGV[5] then redis.call('SET', KEYS[5], ARGV[5]) end
return 1
`;

// Swaps the rebuilt values in at once: readers see the old stats or the new ones, never a mix.
// KEYS: messages, sign_ins, users, updated_at, staged users set. ARGV: messages, sign_ins, updated_at ('' = none).
const REPLACE_ALL = `
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2])
if redis.call('EXISTS', KEYS[5]) == 1 then redis.call('RENAME', KEYS[5], KEYS[3]) else redis.call('DEL', KEYS[3]) end
if ARGV[3] ~= '' then redis.call('SET', KEYS[4], ARGV[3]) else redis.call('DEL', KEYS[4]) end
return 1
`;

const BATCH = 1_000;

interface StatsScripts {
  statsApplyOnce(...keysThenArgs: string[]): Promise<number>;
}

/**
 * Stats in Redis, written by the stats consumer and read by the read API. The scripts go by EVALSHA (ioredis defineCommand), not their full text; the
 * consumer's concurrent applies share the one connection, each written without waiting for the
 * previous reply (ioredis pipelines in-flight commands on a connection).
 */
export class RedisStatsStore implements StatsStore, StatsReader {
  private readonly keys: ReturnType<typeof statsKeys>;
  private readonly scripts: Redis & StatsScripts;

  constructor(
    private readonly redis: Redis,
    private readonly options: { prefix: string; consumer: string; appliedTtlS: number },
  ) {
    this.keys = statsKeys(options.prefix);
    redis.defineCommand('statsApplyOnce', { numberOfKeys: 5, lua: APPLY_ONCE });
    this.scripts = redis as Redis & StatsScripts;
  }

  async apply(eventId: string, change: StatsChange, eventTime: string): Promise<boolean> {
    const applied = await this.scripts.statsApplyOnce(
      this.keys.applied(this.options.consumer, eventId),
      this.keys.messages,
      this.keys.signIns,
      this.keys.users,
      this.keys.updatedAt,
      String(this.options.appliedTtlS),
      String(change.messages),
      String(change.signIns),
      change.userUid ?? '',
      new Date(eventTime).toISOString(),
    );
    return applied === 1;
  }

  async read(): Promise<SiteStats> {
    try {
      return await readStats(this.redis, this.options.prefix);
    } catch (error) {
      // Redis away is an outage of this one read model: a 503 the caller can retry. Anything else
      // (a malformed counter, a bug) would fail the same way again: left for the kit to make a 500.
      if (classifyFailure(error) !== 'transient') throw error;
      throw new AppError('unavailable', 'stats are unavailable right now', { cause: error });
    }
  }

  /**
   * Sets every stat to `snapshot` (a rebuild): first the "applied" markers of its recent events,
   * so a redelivery of an event it counted is not counted again, and the users set under a staging
   * key, then counters, users and updatedAt in one atomic script.
   */
  async replaceAll(snapshot: StatsSnapshot): Promise<void> {
    const staged = `${this.options.prefix}:rebuild:${randomUUID()}:users`;
    try {
      for (let i = 0; i < snapshot.recentEventIds.length; i += BATCH) {
        const pipeline = this.redis.pipeline();
        for (const eventId of snapshot.recentEventIds.slice(i, i + BATCH)) {
          pipeline.set(this.keys.applied(this.options.consumer, eventId), '1', 'EX', this.options.appliedTtlS);
        }
        await execOrThrow(pipeline);
      }
      for (let i = 0; i < snapshot.users.length; i += BATCH) {
        await this.redis.sadd(staged, ...snapshot.users.slice(i, i + BATCH));
      }
      await this.redis.eval(
        REPLACE_ALL,
        5,
        this.keys.messages,
        this.keys.signIns,
        this.keys.users,
        this.keys.updatedAt,
        staged,
        String(snapshot.messages),
        String(snapshot.signIns),
        snapshot.updatedAt ?? '',
      );
    } finally {
      await this.redis.del(staged);
    }
  }
}

async function execOrThrow(pipeline: ReturnType<Redis['pipeline']>): Promise<void> {
  for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
}
