import type { AppPorts } from '../../scripts/images/containers.js';
import { freePorts } from '@testbed/service-kit/testing';

/** A free port for every listener of the app, so runs never collide with `pnpm dev` or each other. */
export async function freeAppPorts(): Promise<AppPorts> {
  const [authGrpc, authHttp, publicApi, publicApiInternal, secureApi, eventConsumer, frontend] = (await freePorts(7)) as [
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
