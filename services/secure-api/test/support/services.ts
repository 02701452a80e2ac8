import { fileURLToPath } from 'node:url';
import {
  freePort,
  startAuthServiceProcess,
  startEventConsumerProcess,
  startServiceProcess,
  waitForUrl,
  type ServiceProcess,
} from '@testbed/service-kit/testing';

/**
 * The real neighbours of secure-api, each started the way `pnpm --filter <name> start` does, in
 * its own process: secure-api never imports their code, in tests either.
 */
export interface Neighbour {
  readonly process: ServiceProcess;
  /** gRPC address for auth-service, base URL of the public port for public-api. */
  readonly address: string;
  stop(): Promise<void>;
}

/** public-api, which also serves its internal routes on a port of their own. */
export interface PublicApiNeighbour extends Neighbour {
  /** Base URL of INTERNAL_PORT: what secure-api's PUBLIC_API_URL names. */
  readonly internalAddress: string;
}

async function ready(process: ServiceProcess, url: string, what: string): Promise<void> {
  try {
    await waitForUrl(url, { timeoutMs: 30_000, what });
  } catch (error) {
    await process.stop();
    throw new Error(`${(error as Error).message}\n${process.output()}`, { cause: error });
  }
}

/** auth-service in its own process; see startAuthServiceProcess. */
export const startAuthService = (env: Record<string, string> = {}): Promise<Neighbour> => startAuthServiceProcess(env);

/**
 * public-api in its embedded mode: messages and rate limits in its memory, its events appended to
 * the log of an in-memory event-consumer (started here too), which owns the activity feed and
 * serves it to public-api. It verifies the tokens secure-api forwards with `authService`, the same
 * auth-service secure-api uses.
 */
export async function startPublicApi(authService: Neighbour, env: Record<string, string> = {}): Promise<PublicApiNeighbour> {
  const readModels = await startEventConsumerProcess();
  const [port, internalPort] = [await freePort(), await freePort()];
  const process = startServiceProcess(fileURLToPath(new URL('../../../public-api', import.meta.url)), {
    ...readModels.producerEnv,
    PORT: String(port),
    INTERNAL_PORT: String(internalPort),
    AUTH_GRPC_ADDR: authService.address,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    MYSQL_URL: '',
    REDIS_URL: '',
    NATS_URL: '',
    ...env,
  });
  const address = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await process.stop();
    await readModels.stop();
  };
  try {
    await ready(process, `${address}/readyz`, 'public-api readiness');
  } catch (error) {
    await readModels.stop();
    throw error;
  }
  return { process, address, internalAddress: `http://127.0.0.1:${internalPort}`, stop };
}
