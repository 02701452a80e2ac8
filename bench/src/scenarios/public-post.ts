import type { Scenario } from '../scenario.js';
import { postTarget } from './http-targets.js';

/**
 * POST /api/public/messages (anonymous: the public board takes a name, no token) on public-api vs
 * the bare server doing the same writes: INSERT message + INSERT outbox row in one transaction.
 * public-api runs with a write limit no benchmark reaches (RATE_LIMIT_PER_MINUTE), but still
 * counts every write in Redis, as in production.
 */
export const publicPost: Scenario = {
  id: 'public-post',
  title: 'POST /api/public/messages',
  concurrency: (settings) => settings.connections,
  product: postTarget('public-api (compiled, MySQL outbox, Redis rate limit)', (ctx) => ctx.stack.publicApiUrl),
  baseline: postTarget('bare node:http + the same two INSERTs in one transaction', (ctx) => ctx.stack.httpBaselineUrl),
};
