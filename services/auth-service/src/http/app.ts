import { createHttpApp, type HttpAppDeps } from '@testbed/service-kit';

/** The auth-service speaks gRPC; its HTTP side only serves the kit's probes and metrics. */
export function createApp(deps: HttpAppDeps): ReturnType<typeof createHttpApp> {
  return createHttpApp(deps, () => {});
}
