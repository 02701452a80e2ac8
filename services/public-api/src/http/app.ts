import { publicApiDocument, publicApiOperations } from '@testbed/contracts/http';
import { createHttpApp, routeOperations, type HttpAppDeps } from '@testbed/service-kit';
import type { AuthVerifier } from '@testbed/service-kit/auth';
import { Router, type Express } from 'express';
import type { ActivityFeed } from '../domain/activity.js';
import type { MessageStore } from '../domain/message.store.js';
import type { RateLimitStore } from '../domain/rate-limit.store.js';
import type { StatsReader } from '../domain/stats.js';
import { rateLimit } from './rate-limit.js';
import { feedHandlers } from './routes/feed.js';
import { messageHandlers } from './routes/messages.js';
import { API_BASE } from './api-base.js';
import { INTERNAL_BASE, authorKeyOf, createInternalRouter } from './routes/internal.js';

export interface PublicApiDeps extends HttpAppDeps {
  readonly messages: MessageStore;
  readonly activity: ActivityFeed;
  readonly stats: StatsReader;
  readonly rateLimits: RateLimitStore;
  readonly writesPerMinute: number;
  /** TRUSTED_PROXY_HOPS: whose X-Forwarded-For entry is the client address the write limit counts. */
  readonly trustedProxyHops?: number;
}

/**
 * The public API, relative to API_BASE: exactly the operations of its contract's table, which
 * its OpenAPI document is generated from, so no route can exist undocumented.
 */
function createPublicRouter(deps: PublicApiDeps): Router {
  const router = Router();
  const writeLimit = rateLimit(writeLimitOptions(deps));
  routeOperations(router, publicApiOperations, {
    getHealth: (_input, _req, res) => {
      res.json({ status: 'ok' });
    },
    getOpenApiDocument: (_input, _req, res) => {
      res.json(publicApiDocument);
    },
    ...messageHandlers({ messages: deps.messages, writeLimit }),
    ...feedHandlers({ activity: deps.activity, stats: deps.stats }),
  });
  return router;
}

export interface InternalApiDeps extends PublicApiDeps {
  /** Verifies the ID tokens callers forward (auth-service's VerifyToken). */
  readonly verifier: AuthVerifier;
}

/** Routes for other services (secure-api), served on INTERNAL_PORT only; see routes/internal.ts. */
function createInternalApiRouter(deps: InternalApiDeps): Router {
  return createInternalRouter({
    messages: deps.messages,
    activity: deps.activity,
    verifier: deps.verifier,
    // Same budget and counters as public writes, but spent per signed-in author instead of per address.
    writeLimit: rateLimit({ ...writeLimitOptions(deps), clientKey: authorKeyOf }),
  });
}

const writeLimitOptions = (deps: PublicApiDeps) => ({
  store: deps.rateLimits,
  limit: deps.writesPerMinute,
  windowMs: 60_000,
  policy: 'writes',
  logger: deps.logger.child({ module: 'rate-limit' }),
  metrics: deps.metrics,
});

/** The public port's app: API_BASE plus health and metrics. It has no /internal routes at all. */
export function createApp(deps: PublicApiDeps): Express {
  return createHttpApp(
    deps,
    (app) => {
      app.use(API_BASE, createPublicRouter(deps));
    },
    { trustedProxyHops: deps.trustedProxyHops ?? 0 },
  );
}

/**
 * The internal port's app: INTERNAL_BASE plus health and metrics (so a caller can probe the port
 * it uses). Its own listener, so the Kubernetes Service and NetworkPolicy can admit only
 * secure-api to it; a path on the public port could not be filtered that way.
 */
export function createInternalApp(deps: InternalApiDeps): Express {
  return createHttpApp(
    deps,
    (app) => {
      app.use(INTERNAL_BASE, createInternalApiRouter(deps));
    },
    { trustedProxyHops: deps.trustedProxyHops ?? 0 },
  );
}
