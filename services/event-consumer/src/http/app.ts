import { readModelsApiDocument, readModelsApiOperations } from '@testbed/contracts/http';
import { createHttpApp, routeOperations, type HttpAppDeps } from '@testbed/service-kit';
import { Router, type Express } from 'express';
import type { ActivityReader } from '../domain/activity.js';
import type { StatsReader } from '../domain/stats.js';
import { readModelHandlers } from './routes/read-models.js';

/** Where the read API is served on the HTTP port; its contract's paths are relative to it. */
const READ_MODELS_BASE = '/read-models';

export interface EventConsumerHttpDeps extends HttpAppDeps {
  readonly activity: ActivityReader;
  readonly stats: StatsReader;
}

/**
 * The HTTP port's app: the kit's /healthz, /readyz and /metrics, and the read API (exactly the
 * operations of `readModelsApiOperations`, which its OpenAPI document is generated from) under
 * READ_MODELS_BASE, for public-api. The owner of the read models is the only one that reads them.
 */
export function createApp(deps: EventConsumerHttpDeps): Express {
  return createHttpApp(deps, (app) => {
    const router = Router();
    routeOperations(router, readModelsApiOperations, {
      getOpenApiDocument: (_input, _req, res) => {
        res.json(readModelsApiDocument);
      },
      ...readModelHandlers(deps),
    });
    app.use(READ_MODELS_BASE, router);
  });
}
