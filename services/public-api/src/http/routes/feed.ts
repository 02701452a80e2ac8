import type { publicApiOperations } from '@testbed/contracts/http';
import type { OperationHandler } from '@testbed/service-kit';
import type { ActivityFeed } from '../../domain/activity.js';
import type { StatsReader } from '../../domain/stats.js';

type Operations = typeof publicApiOperations;

/** The read models event-consumer owns and serves: the activity feed and the site counters, passed on. */
export function feedHandlers(deps: { activity: ActivityFeed; stats: StatsReader }): {
  [K in 'listActivity' | 'getStats']: OperationHandler<Operations[K]>;
} {
  return {
    listActivity: async ({ query }, _req, res) => {
      res.json(await deps.activity.list(query));
    },
    getStats: async (_input, _req, res) => {
      res.json(await deps.stats.read());
    },
  };
}
