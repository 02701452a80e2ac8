import { AppError, classifyFailure, type Redis } from '@testbed/service-kit';
import { readStats } from '@testbed/service-kit/events';
import type { SiteStats, StatsReader } from '../../domain/stats.js';

/** Reads the counters event-consumer's stats consumer keeps in Redis. */
export class RedisStatsReader implements StatsReader {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix?: string,
  ) {}

  async read(): Promise<SiteStats> {
    try {
      return await readStats(this.redis, this.keyPrefix);
    } catch (error) {
      // Redis away is an outage of this one read model: a 503 the SPA can retry. Anything else
      // (a malformed counter, a bug) would fail the same way again: left for the kit to make a 500.
      if (classifyFailure(error) !== 'transient') throw error;
      throw new AppError('unavailable', 'stats are unavailable right now', { cause: error });
    }
  }
}
