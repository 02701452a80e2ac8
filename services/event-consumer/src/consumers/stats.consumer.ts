import type { EventHandler } from '@testbed/service-kit/events';
import { readModelsFor } from '../domain/read-models.js';
import type { StatsStore } from '../domain/stats.js';

export const STATS_CONSUMER = 'stats';

/**
 * Counts the event. `readModelsFor` checks it against the activity feed's limits first, so an
 * event the feed would refuse is refused (dead-lettered) here too and the two read models agree.
 */
export const statsHandler =
  (store: StatsStore): EventHandler =>
  async (event) => {
    const { stats } = readModelsFor(event);
    if (stats) await store.apply(event.id, stats, event.time);
  };
