// The dev gateway: one origin (http://localhost:8080 by default) that routes like the
// production gateway, following manifests/routes.json, plus the dev-only emulator and
// /config.json routes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isEmulatorPath, serveDevConfig } from './dev-routes.js';
import { requestIdOf } from './forwarded-headers.js';
import { createGrpcWebProxy } from './grpc-web/grpc-web-proxy.js';
import { H2SessionPool } from './grpc-web/h2-session-pool.js';
import { createHttpProxy, type HttpProxy } from './http-proxy.js';
import { sendProblem } from './problem.js';
import { loadRouteTable, matchRoute, type Route, type RouteTable } from './route-table.js';
import { createSpaHandler, type SpaSource } from './spa.js';

export interface GatewayOptions {
  readonly port: number;
  readonly host?: string;
  readonly spa: SpaSource;
  /** Where each service listens in dev, by Service name; missing ones use the port in routes.json. */
  readonly servicePorts?: Readonly<Record<string, number>>;
  /** e.g. 127.0.0.1:9099 */
  readonly emulatorHost: string;
  readonly routes?: RouteTable;
  /** One line per request; the default is silence. */
  readonly log?: (line: string) => void;
}

export interface Gateway {
  /** http://127.0.0.1:PORT (unambiguous for tools; a browser may use http://localhost:PORT). */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Where `/` is served from, for the start-up banner. */
  readonly spaDescription: string;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, requestId: string) => void;

const UPSTREAM_HOST = '127.0.0.1';
const EMULATOR_TIMEOUTS = { responseTimeoutMs: 30_000, idleTimeoutMs: 30_000, maxRequestBodyBytes: 1024 * 1024 };

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const table = options.routes ?? loadRouteTable();
  const server = createServer();
  const sessions = new H2SessionPool(60_000);
  const httpProxies: HttpProxy[] = [];
  const portOf = (route: Route) => options.servicePorts?.[route.service] ?? route.port;

  const spaRoute = matchRoute(table.routes, '/');
  const spa = await createSpaHandler(options.spa, server, {
    responseTimeoutMs: spaRoute?.timeouts.responseMs ?? 15_000,
    idleTimeoutMs: spaRoute?.timeouts.idleMs ?? 60_000,
  });

  const handlers = new Map<Route, Handler>();
  for (const route of table.routes) {
    if (route.service === 'frontend') {
      handlers.set(route, spa.handle);
    } else if (route.protocol === 'grpc-web') {
      const proxy = createGrpcWebProxy(
        {
          name: route.service,
          origin: `http://${UPSTREAM_HOST}:${portOf(route)}`,
          responseTimeoutMs: route.timeouts.responseMs,
          maxRequestBodyBytes: route.maxRequestBodyBytes,
        },
        sessions,
      );
      handlers.set(route, proxy.handle);
    } else {
      const proxy = createHttpProxy({
        name: route.service,
        host: UPSTREAM_HOST,
        port: portOf(route),
        responseTimeoutMs: route.timeouts.responseMs,
        idleTimeoutMs: route.timeouts.idleMs,
        maxRequestBodyBytes: route.maxRequestBodyBytes,
      });
      httpProxies.push(proxy);
      handlers.set(route, proxy.handle);
    }
  }
  const [emulatorHostname = UPSTREAM_HOST, emulatorPort = '9099'] = options.emulatorHost.split(':');
  const emulator = createHttpProxy({ name: 'the Auth emulator', host: emulatorHostname, port: Number(emulatorPort), ...EMULATOR_TIMEOUTS });
  httpProxies.push(emulator);

  function route(req: IncomingMessage): { name: string; handler: Handler } | undefined {
    const path = new URL(req.url ?? '/', 'http://gateway').pathname;
    if (path === '/config.json') return { name: 'dev-config', handler: serveDevConfig };
    if (isEmulatorPath(path)) return { name: 'auth-emulator', handler: emulator.handle };
    const match = matchRoute(table.routes, path);
    const handler = match && handlers.get(match);
    return match && handler ? { name: match.service, handler } : undefined;
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const requestId = requestIdOf(req);
    const started = performance.now();
    const target = route(req);
    // The SPA's asset and module requests would drown the API calls, so only its failures are shown.
    if (options.log) {
      const log = options.log;
      const line = `${req.method} ${req.url} -> ${target?.name ?? 'no route'}`;
      res.once('close', () => {
        if (target?.name === 'frontend' && res.statusCode < 400) return;
        log(`${line} ${res.statusCode} ${Math.round(performance.now() - started)}ms`);
      });
    }
    if (!target) {
      sendProblem(req, res, 404, 'no route matches this path', requestId);
      return;
    }
    target.handler(req, res, requestId);
  });

  // Browsers keep idle connections open; without this, close() would wait for them.
  server.keepAliveTimeout = 5_000;
  const closeUpstreams = async () => {
    sessions.close();
    for (const proxy of httpProxies) proxy.close();
    await spa.close();
  };
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await closeUpstreams();
    throw error;
  }
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${!options.host || options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host}:${port}`,
    port,
    server,
    spaDescription: spa.description,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closeUpstreams();
      await closed;
    },
  };
}
