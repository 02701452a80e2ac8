import { createHttpApp, type HttpAppDeps } from '@testbed/service-kit';
import { Router, type Express } from 'express';
import { authenticate, type AuthVerifier } from '@testbed/service-kit/auth';
import { openApiDocument } from './openapi/document.js';
import { mountMeRoutes, type MeRoutesDeps } from './routes/me.js';
import { mountMessageRoutes, type MessageRoutesDeps } from './routes/messages.js';

export interface AppDeps extends HttpAppDeps, MeRoutesDeps, MessageRoutesDeps {
  readonly verifier: AuthVerifier;
  /** TRUSTED_PROXY_HOPS: whose X-Forwarded-For entry is the client address. */
  readonly trustedProxyHops?: number;
}

const API_PREFIX = '/api/secure';

/** Every route of the secure API, relative to API_PREFIX; exported so the OpenAPI test can list them. */
export function createSecureRouter(deps: AppDeps): Router {
  const router = Router();
  // The description of the API is public, like any OpenAPI document behind the gateway.
  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  // Writes ask auth-service to check revocation and disabled users; reads use its cache.
  router.use(authenticate(deps.verifier));
  router.use((_req, res, next) => {
    // Personal data: no shared cache may keep it.
    res.set('Cache-Control', 'no-store');
    next();
  });
  mountMeRoutes(router, deps);
  mountMessageRoutes(router, deps);
  return router;
}

export function createApp(deps: AppDeps): Express {
  return createHttpApp(deps, (app) => {
    app.use(API_PREFIX, createSecureRouter(deps));
  }, { trustedProxyHops: deps.trustedProxyHops ?? 0 });
}
