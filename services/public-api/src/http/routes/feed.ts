import { parseRequest } from '@testbed/service-kit';
import type { Router } from 'express';
import { toActivityResponse, type ActivityStore } from '../../domain/activity.js';
import { pageQuery, toPageResponse } from '../../domain/paging.dto.js';
import type { StatsReader } from '../../domain/stats.js';

/** The read models event-consumer maintains: the activity feed and the site counters. */
export function mountFeedRoutes(router: Router, deps: { activity: ActivityStore; stats: StatsReader }): void {
  router.get('/activity', async (req, res) => {
    const page = await deps.activity.list(parseRequest(pageQuery, req.query, 'query'));
    res.json(toPageResponse(page, toActivityResponse));
  });

  router.get('/stats', async (_req, res) => {
    res.json(await deps.stats.read());
  });
}
