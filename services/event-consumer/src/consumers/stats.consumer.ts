import { statsChangeFor, type EventHandler } from '@testbed/service-kit/events';
import type { StatsStore } from '../domain/stats.js';

export const STATS_CONSUMER = 'stats';

export const statsHandler =
  (store: StatsStore): EventHandler =>
  async (event) => {
    const change = statsChangeFor(event);
    if (change) await store.apply(event.id, change);
  };
