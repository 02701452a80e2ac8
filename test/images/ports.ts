import getPort from 'get-port';
import type { AppPorts } from '../../scripts/images/containers.js';

// get-port itself, not the kit's freePorts (which wraps it): app-setup.ts loads this file as a Vitest
// global setup, which resolves workspace packages without the @testbed/source condition.

/** A free port for every listener of the app, so runs never collide with `pnpm dev` or each other. */
export async function freeAppPorts(): Promise<AppPorts> {
  const ports: number[] = [];
  while (ports.length < 7) ports.push(await getPort({ exclude: ports }));
  const [authGrpc, authHttp, publicApi, publicApiInternal, secureApi, eventConsumer, frontend] = ports as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return { authGrpc, authHttp, publicApi, publicApiInternal, secureApi, eventConsumer, frontend };
}
