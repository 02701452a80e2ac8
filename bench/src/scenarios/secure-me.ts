import type { Scenario } from '../scenario.js';
import { ensureMessages, getTarget, LIST_PATH } from './http-targets.js';

/**
 * GET /api/secure/me with a token auth-service has already verified and cached (secure-api →
 * auth-service gRPC → Redis), against the public GET at the same single connection: the issue's
 * target is the latency auth adds (secure minus public), which only one client in flight shows
 * without queueing in it. Both sides are timed to the microsecond (undici), not by autocannon.
 */
export const secureMe: Scenario = {
  id: 'secure-me',
  title: 'GET /api/secure/me, cached token, one connection',
  concurrency: () => 1,
  prepare: async (ctx) => {
    await ensureMessages(ctx, 100);
    // The first verification goes to the emulator; from then on the token is in auth-service's cache.
    const response = await fetch(`${ctx.stack.secureApiUrl}/api/secure/me`, { headers: { authorization: `Bearer ${ctx.idToken}` } });
    if (!response.ok) throw new Error(`GET /api/secure/me answered ${response.status}: ${await response.text()}`);
  },
  product: getTarget('secure-api /me (auth-service gRPC, Redis cache)', (ctx) => ctx.stack.secureApiUrl, '/api/secure/me', {
    connections: () => 1,
    precise: true,
    headers: (ctx) => ({ authorization: `Bearer ${ctx.idToken}` }),
  }),
  baseline: getTarget('public-api GET /api/public/messages?limit=20', (ctx) => ctx.stack.publicApiUrl, LIST_PATH, { connections: () => 1, precise: true }),
};
