import { secureApiAuthenticatedOperations, secureApiDocument, secureApiPublicOperations } from '@testbed/contracts/http';
import { createHttpApp, routeOperations, type HttpAppDeps } from '@testbed/service-kit';
import { Router, type Express } from 'express';
import { authenticate, type AuthVerifier } from '@testbed/service-kit/auth';
import { meHandlers, type MeRoutesDeps } from './routes/me.js';
import { messageHandlers, type MessageRoutesDeps } from './routes/messages.js';

export interface AppDeps extends HttpAppDeps, MeRoutesDeps, MessageRoutesDeps {
  readonly verifier: AuthVerifier;
  /** TRUSTED_PROXY_HOPS: whose X-Forwarded-For entry is the client address. */
  readonly trustedProxyHops?: number;
}

const API_PREFIX = '/api/secure';

/**
 * The secure API, relative to API_PREFIX: exactly the operations of its contract's tables, which
 * its OpenAPI document is generated from, so no route can exist undocumented.
 */
function createSecureRouter(deps: AppDeps): Router {
  const router = Router();
  // The description of the API is public, like any OpenAPI document behind the gateway.
  routeOperations(router, secureApiPublicOperations, {
    getOpenApiDocument: (_input, _req, res) => {
      res.json(secureApiDocument);
    },
  });
  // Writes ask auth-service to check revocation and disabled users; reads use its cache.
  router.use(authenticate(deps.verifier));
  router.use((_req, res, next) => {
    // Personal data: no shared cache may keep it.
    res.set('Cache-Control', 'no-store');
    next();
  });
  routeOperations(router, secureApiAuthenticatedOperations, { ...meHandlers(deps), ...messageHandlers(deps) });
  return router;
}

export function createApp(deps: AppDeps): Express {
  return createHttpApp(
    deps,
    (app) => {
      app.use(API_PREFIX, createSecureRouter(deps));
    },
    { trustedProxyHops: deps.trustedProxyHops ?? 0 },
  );
}
