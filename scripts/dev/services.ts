// The processes `pnpm dev` runs, their ports and the environment each gets. Ports match the
// Kubernetes manifests, so a URL that works here works behind the cluster gateway too.

export interface DevService {
  readonly name: string;
  /** Package directory, relative to the repo root. */
  readonly dir: string;
  readonly ports: readonly number[];
  /** Answers 200 once the process is ready. */
  readonly readyUrl: string;
  readonly env: Record<string, string>;
  /** Only runs when every one of these variables is set (real servers). */
  readonly needs?: readonly string[];
}

export const EMULATOR_PORT = 9099;
export const EMULATOR_HOST = `127.0.0.1:${EMULATOR_PORT}`;

export const devServices: readonly DevService[] = [
  {
    name: 'auth-service',
    dir: 'services/auth-service',
    ports: [50051, 8084],
    readyUrl: 'http://127.0.0.1:8084/healthz',
    env: { GRPC_PORT: '50051', PORT: '8084' },
  },
  {
    name: 'public-api',
    dir: 'services/public-api',
    ports: [8081],
    readyUrl: 'http://127.0.0.1:8081/healthz',
    env: { PORT: '8081' },
  },
  {
    name: 'secure-api',
    dir: 'services/secure-api',
    ports: [8082],
    readyUrl: 'http://127.0.0.1:8082/healthz',
    env: { PORT: '8082', AUTH_GRPC_ADDR: '127.0.0.1:50051' },
  },
  {
    // Without real servers the events flow in-process inside public-api, so the consumer
    // only runs against MySQL, Redis and NATS.
    name: 'event-consumer',
    dir: 'services/event-consumer',
    ports: [8083],
    readyUrl: 'http://127.0.0.1:8083/healthz',
    env: { PORT: '8083' },
    needs: ['MYSQL_URL', 'REDIS_URL', 'NATS_URL'],
  },
];
