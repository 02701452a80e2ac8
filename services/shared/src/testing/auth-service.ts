import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { EMULATOR_PROJECT_ID, emulatorHost } from './auth-emulator.js';
import { freePorts, waitForUrl } from '../wait.js';
import { startServiceProcess, type ServiceProcess } from './process.js';

/** A real auth-service in its own process, verifying against the Firebase Auth emulator. */
export interface AuthServiceProcess {
  readonly process: ServiceProcess;
  /** host:port of its gRPC port, what AUTH_GRPC_ADDR names. */
  readonly address: string;
  stop(): Promise<void>;
}

/**
 * Starts auth-service the way `pnpm --filter auth-service start` does, on free ports, with Redis
 * keys of its own and no NATS; resolves once /readyz answers. `env` adds to or overrides that.
 * Services that call it start it this way, so they never import its code, in tests either.
 */
export async function startAuthServiceProcess(env: Record<string, string> = {}): Promise<AuthServiceProcess> {
  const [grpcPort, httpPort] = (await freePorts(2)) as [number, number];
  const process = startServiceProcess(fileURLToPath(new URL('../../../auth-service', import.meta.url)), {
    GRPC_PORT: String(grpcPort),
    PORT: String(httpPort),
    FIREBASE_PROJECT_ID: EMULATOR_PROJECT_ID,
    FIREBASE_AUTH_EMULATOR_HOST: emulatorHost(),
    REDIS_URL: 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: `test:auth-client:${randomUUID()}:`,
    // Sign-in events are auth-service's own tests' business; keep them out of the shared stream.
    NATS_URL: '',
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    ...env,
  });
  try {
    await waitForUrl(`http://127.0.0.1:${httpPort}/readyz`, { timeoutMs: 30_000, what: 'auth-service readiness' });
  } catch (error) {
    await process.stop();
    throw new Error(`${(error as Error).message}\n${process.output()}`, { cause: error });
  }
  return { process, address: `127.0.0.1:${grpcPort}`, stop: async () => void (await process.stop()) };
}
