// The services `pnpm dev` runs, their ports and the environment each gets.
import type { StackPorts } from './ports.js';

export interface DevService {
  readonly name: string;
  /** Package directory, relative to the repo root. */
  readonly dir: string;
  readonly ports: readonly { readonly key: keyof StackPorts; readonly port: number }[];
  /** Answers 200 once the process is ready. */
  readonly readyUrl: string;
  readonly env: Record<string, string>;
  /**
   * Takes MYSQL_URL, REDIS_URL and NATS_URL all together or none (event-consumer's config refuses
   * a partial set): with only some of them given, it gets none and runs in memory.
   */
  readonly serversAllOrNone?: boolean;
}

// Every service binds loopback only: on a laptop nothing but the gateway (and the developer) should
// reach them. Behind the gateway, public-api and secure-api trust its one X-Forwarded-For hop.
const LOOPBACK = { HOST: '127.0.0.1' };
const BEHIND_GATEWAY = { ...LOOPBACK, TRUSTED_PROXY_HOPS: '1' };

export function devServices(ports: StackPorts): DevService[] {
  return [
    {
      name: 'auth-service',
      dir: 'services/auth-service',
      ports: [
        { key: 'authGrpc', port: ports.authGrpc },
        { key: 'authHttp', port: ports.authHttp },
      ],
      readyUrl: `http://127.0.0.1:${ports.authHttp}/healthz`,
      env: { ...LOOPBACK, GRPC_PORT: String(ports.authGrpc), PORT: String(ports.authHttp) },
    },
    {
      name: 'public-api',
      dir: 'services/public-api',
      ports: [
        { key: 'publicApi', port: ports.publicApi },
        { key: 'publicApiInternal', port: ports.publicApiInternal },
      ],
      readyUrl: `http://127.0.0.1:${ports.publicApi}/healthz`,
      env: {
        ...BEHIND_GATEWAY,
        PORT: String(ports.publicApi),
        INTERNAL_PORT: String(ports.publicApiInternal),
        // The internal routes verify the ID tokens secure-api forwards.
        AUTH_GRPC_ADDR: `127.0.0.1:${ports.authGrpc}`,
        // The activity feed and stats are event-consumer's; public-api reads them from its read API.
        READ_MODELS_URL: `http://127.0.0.1:${ports.eventConsumer}`,
      },
    },
    {
      name: 'secure-api',
      dir: 'services/secure-api',
      ports: [{ key: 'secureApi', port: ports.secureApi }],
      readyUrl: `http://127.0.0.1:${ports.secureApi}/healthz`,
      env: {
        ...BEHIND_GATEWAY,
        PORT: String(ports.secureApi),
        AUTH_GRPC_ADDR: `127.0.0.1:${ports.authGrpc}`,
        PUBLIC_API_URL: `http://127.0.0.1:${ports.publicApiInternal}`,
      },
    },
    {
      // Always runs: it owns the activity feed and stats and serves them to public-api. With
      // MySQL, Redis and NATS it follows JetStream; without them it keeps them in memory, fed by
      // the event log every producer appends to (EVENT_LOG_FILE).
      name: 'event-consumer',
      dir: 'services/event-consumer',
      ports: [{ key: 'eventConsumer', port: ports.eventConsumer }],
      readyUrl: `http://127.0.0.1:${ports.eventConsumer}/healthz`,
      env: { ...LOOPBACK, PORT: String(ports.eventConsumer) },
      serversAllOrNone: true,
    },
  ];
}

/** Gateway route table service name -> the port it listens on in this stack. */
export function gatewayServicePorts(ports: StackPorts): Record<string, number> {
  return { 'auth-service': ports.authGrpc, 'public-api': ports.publicApi, 'secure-api': ports.secureApi };
}
