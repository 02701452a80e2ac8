import type { publicApiOperations } from '@testbed/contracts/http';
import type { OperationHandler } from '@testbed/service-kit';
import { toActivityResponse, type ActivityStore } from '../../domain/activity.js';
import { toPageRequest, toPageResponse } from '../../domain/paging.dto.js';
import type { StatsReader } from '../../domain/stats.js';

type Operations = typeof publicApiOperations;

/** The read models event-consumer maintains: the activity feed and the site counters. */
export function feedHandlers(deps: { activity: ActivityStore; stats: StatsReader }): {
  [K in 'listActivity' | 'getStats']: OperationHandler<Operations[K]>;
} {
  return {
    listActivity: async ({ query }, _req, res) => {
      res.json(toPageResponse(await deps.activity.list(toPageRequest(query)), toActivityResponse));
    },
    getStats: async (_input, _req, res) => {
      res.json(await deps.stats.read());
    },
  };
}
