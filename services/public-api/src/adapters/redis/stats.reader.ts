import { AppError, type Redis } from '@testbed/service-kit';
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
      // Redis away is an outage of this one read model, not a bug: a 503 the SPA can retry.
      throw new AppError('unavailable', 'stats are unavailable right now', { cause: error });
    }
  }
}
