import { createHttpApp, type HttpAppDeps } from '@testbed/service-kit';
import type { Express } from 'express';

/** The consumer serves only the kit's /healthz, /readyz and /metrics. */
export function createApp(deps: HttpAppDeps): Express {
  return createHttpApp(deps, () => {});
}
