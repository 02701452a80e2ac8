import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  emulatorHost,
  EMULATOR_PROJECT_ID,
  freePort,
  httpOk,
  startServiceProcess,
  waitFor,
  type ServiceProcess,
} from '@testbed/service-kit/testing';

/**
 * The real neighbours of secure-api, each started the way `pnpm --filter <name> start` does, in
 * its own process: secure-api never imports their code, in tests either.
 */
export interface Neighbour {
  readonly process: ServiceProcess;
  /** gRPC address for auth-service, base URL for public-api. */
  readonly address: string;
  stop(): Promise<void>;
}

async function ready(process: ServiceProcess, url: string, what: string): Promise<void> {
  try {
    await waitFor(() => httpOk(url), { timeoutMs: 30_000, what });
  } catch (error) {
    await process.stop();
    throw new Error(`${(error as Error).message}\n${process.output()}`, { cause: error });
  }
}

/** `env` adds to or overrides the test settings below. */
export async function startAuthService(env: Record<string, string> = {}): Promise<Neighbour> {
  const [grpcPort, httpPort] = [await freePort(), await freePort()];
  const process = startServiceProcess(fileURLToPath(new URL('../../../auth-service', import.meta.url)), {
    GRPC_PORT: String(grpcPort),
    PORT: String(httpPort),
    FIREBASE_PROJECT_ID: EMULATOR_PROJECT_ID,
    FIREBASE_AUTH_EMULATOR_HOST: emulatorHost(),
    REDIS_URL: 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: `test:secure-api:${randomUUID()}:`,
    // Sign-in events are auth-service's own tests' business; keep them out of the shared stream.
    NATS_URL: '',
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    ...env,
  });
  await ready(process, `http://127.0.0.1:${httpPort}/readyz`, 'auth-service readiness');
  return { process, address: `127.0.0.1:${grpcPort}`, stop: async () => void (await process.stop()) };
}

/** public-api in its embedded mode: messages, feed and rate limits in its memory. */
export async function startPublicApi(env: Record<string, string> = {}): Promise<Neighbour> {
  const port = await freePort();
  const process = startServiceProcess(fileURLToPath(new URL('../../../public-api', import.meta.url)), {
    PORT: String(port),
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    MYSQL_URL: '',
    REDIS_URL: '',
    NATS_URL: '',
    ...env,
  });
  const address = `http://127.0.0.1:${port}`;
  await ready(process, `${address}/readyz`, 'public-api readiness');
  return { process, address, stop: async () => void (await process.stop()) };
}
