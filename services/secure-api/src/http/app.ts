import { createHttpApp, type HttpAppDeps } from '@testbed/service-kit';
import type { Express } from 'express';
import { meRoutes, type MeRoutesDeps } from './routes/me.js';

export type AppDeps = HttpAppDeps & MeRoutesDeps;

export const API_PREFIX = '/api/secure';

export function createApp(deps: AppDeps): Express {
  return createHttpApp(deps, (app) => {
    app.use(API_PREFIX, meRoutes(deps));
  });
}
