import type { readModelsApiOperations } from '@testbed/contracts/http';
import { toPageRequest, toPageResponse, type OperationHandler } from '@testbed/service-kit';
import { toActivityResponse, type ActivityReader } from '../../domain/activity.js';
import type { StatsReader } from '../../domain/stats.js';

type Operations = typeof readModelsApiOperations;

/** The activity feed (the whole of it, or one actor's) and the site counters. */
export function readModelHandlers(deps: { activity: ActivityReader; stats: StatsReader }): {
  [K in 'listActivity' | 'getStats']: OperationHandler<Operations[K]>;
} {
  return {
    listActivity: async ({ query }, _req, res) => {
      const page = await deps.activity.list(toPageRequest(query), { actorUid: query.actorUid });
      res.json(toPageResponse(page, toActivityResponse));
    },
    getStats: async (_input, _req, res) => {
      res.json(await deps.stats.read());
    },
  };
}
