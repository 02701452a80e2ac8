import type { Scenario } from '../scenario.js';
import { ensureMessages, getTarget, LIST_PATH } from './http-targets.js';

/** GET /api/public/messages?limit=20 on public-api vs the bare node:http server running the same SQL. */
export const publicGet: Scenario = {
  id: 'public-get',
  title: 'GET /api/public/messages?limit=20, direct',
  concurrency: (settings) => settings.connections,
  prepare: (ctx) => ensureMessages(ctx, 100),
  product: getTarget('public-api (compiled, MySQL)', (ctx) => ctx.stack.publicApiUrl, LIST_PATH),
  baseline: getTarget('bare node:http + same SQL and mysql2 pool', (ctx) => ctx.stack.httpBaselineUrl, LIST_PATH),
};
