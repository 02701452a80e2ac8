// Every port the local stack uses. The defaults match the Kubernetes Services, so a URL that
// works here works behind the cluster gateway; each one can be moved with an environment
// variable when something else already holds it (or when tests run a second stack).
import { createServer } from 'node:net';

export interface StackPorts {
  readonly gateway: number;
  readonly authEmulator: number;
  readonly authGrpc: number;
  readonly authHttp: number;
  readonly publicApi: number;
  /** public-api's internal routes (secure-api calls them); the gateway never routes there. */
  readonly publicApiInternal: number;
  readonly secureApi: number;
  readonly eventConsumer: number;
  /** The OTLP/HTTP receiver behind `pnpm dev`'s trace summary (only when no OTLP endpoint is set). */
  readonly traces: number;
}

export const DEFAULT_PORTS: StackPorts = {
  gateway: 8080,
  authEmulator: 9099,
  authGrpc: 50051,
  authHttp: 8084,
  publicApi: 8081,
  publicApiInternal: 8091,
  secureApi: 8082,
  eventConsumer: 8083,
  // OTLP/HTTP's registered port, where the SDK exports by default.
  traces: 4318,
};

export const PORT_ENV: Record<keyof StackPorts, string> = {
  gateway: 'GATEWAY_PORT',
  authEmulator: 'AUTH_EMULATOR_PORT',
  authGrpc: 'AUTH_GRPC_PORT',
  authHttp: 'AUTH_HTTP_PORT',
  publicApi: 'PUBLIC_API_PORT',
  publicApiInternal: 'PUBLIC_API_INTERNAL_PORT',
  secureApi: 'SECURE_API_PORT',
  eventConsumer: 'EVENT_CONSUMER_PORT',
  traces: 'TRACE_RECEIVER_PORT',
};

/** The default ports with any overrides from the environment; throws on a value that is not a port. */
export function portsFromEnv(env: NodeJS.ProcessEnv): StackPorts {
  const ports: Record<string, number> = { ...DEFAULT_PORTS };
  for (const [key, name] of Object.entries(PORT_ENV)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const port = Number(value);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name}=${value} is not a port number`);
    ports[key] = port;
  }
  return ports as unknown as StackPorts;
}

export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    // Services bind to all interfaces; checking there also catches a holder on 127.0.0.1 only.
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

export class PortsInUseError extends Error {
  constructor(readonly busy: readonly { port: number; owner: string; env: string }[]) {
    super(
      `these ports are already in use:\n${busy.map((b) => `  ${b.port} (${b.owner}; move it with ${b.env}=<port>)`).join('\n')}\n` +
        'Stop whatever holds them (`lsof -i :PORT` or `ss -ltnp` shows who), for example an earlier `pnpm dev`, or move them.',
    );
    this.name = 'PortsInUseError';
  }
}

/** Fails with every busy port at once, before anything starts. */
export async function assertPortsFree(wanted: readonly { port: number; owner: string; key: keyof StackPorts }[]): Promise<void> {
  const busy = [];
  for (const { port, owner, key } of wanted) if (!(await portFree(port))) busy.push({ port, owner, env: PORT_ENV[key] });
  if (busy.length > 0) throw new PortsInUseError(busy);
}
