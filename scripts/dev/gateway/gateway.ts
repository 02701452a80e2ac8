// The dev gateway: one origin (http://localhost:8080 by default) that routes like the
// production gateway, following manifests/routes.json, plus the dev-only emulator and
// /config.json routes. It is the edge: it refuses requests whose body framing is ambiguous,
// sets the forwarding headers itself, and holds each route back until its upstream is ready.
import { randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { isEmulatorPath, serveDevConfig } from './dev-routes.js';
import { requestIdOf } from './forwarded-headers.js';
import { framingOf } from './framing.js';
import { createGrpcWebProxy } from './grpc-web/grpc-web-proxy.js';
import { H2SessionPool } from './grpc-web/h2-session-pool.js';
import { createHttpProxy, type HttpProxy } from './http-proxy.js';
import { problemBody, RETRY_AFTER_S, sendProblem } from './problem.js';
import { loadRouteTable, matchRoute, type Route, type RouteTable } from './route-table.js';
import { createSpaHandler, type SpaSource } from './spa.js';
import { inGatewaySpan } from './tracing.js';
import { tcpProbe, UpstreamReadiness, type ReadinessProbe } from './upstream-readiness.js';

export interface GatewayOptions {
  readonly port: number;
  readonly host?: string;
  readonly spa: SpaSource;
  /** Where each service listens in dev, by Service name; missing ones use the port in routes.json. */
  readonly servicePorts?: Readonly<Record<string, number>>;
  /** e.g. 127.0.0.1:9099 */
  readonly emulatorHost: string;
  readonly routes?: RouteTable;
  /**
   * How to tell that an upstream is ready, by route table service name, plus `auth-emulator`.
   * Missing ones are ready once their port accepts a connection.
   */
  readonly readiness?: Readonly<Record<string, ReadinessProbe>>;
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

interface Target {
  readonly name: string;
  readonly handler: Handler;
  /** Absent for what the gateway serves itself. */
  readonly readiness?: UpstreamReadiness;
  /** Answers while the upstream is not ready; the default is a 503 problem with Retry-After. */
  readonly notReady?: (req: IncomingMessage, res: ServerResponse, requestId: string, message: string, retryAfterS: number) => void;
  /** The route of an API request, which the gateway traces (the SPA's assets and the emulator are not). */
  readonly traced?: Route;
}

export const EMULATOR_SERVICE = 'auth-emulator';

const UPSTREAM_HOST = '127.0.0.1';
const EMULATOR_TIMEOUTS = { responseTimeoutMs: 30_000, idleTimeoutMs: 30_000, maxRequestBodyBytes: 1024 * 1024 };

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const table = options.routes ?? loadRouteTable();
  // Host is checked by framingOf, so that refusal is a problem+json like every other one.
  const server = createServer({ requireHostHeader: false });
  const sessions = new H2SessionPool(60_000);
  const httpProxies: HttpProxy[] = [];
  const portOf = (route: Route) => options.servicePorts?.[route.service] ?? route.port;

  const spaRoute = matchRoute(table.routes, '/');
  const spa = await createSpaHandler(options.spa, server, {
    responseTimeoutMs: spaRoute?.timeouts.responseMs ?? 15_000,
    idleTimeoutMs: spaRoute?.timeouts.idleMs ?? 60_000,
  });

  const readinessOf = (service: string, host: string, port: number) => new UpstreamReadiness(options.readiness?.[service] ?? tcpProbe(host, port));
  const handlers = new Map<Route, Omit<Target, 'name'>>();
  for (const route of table.routes) {
    if (route.service === 'frontend') {
      handlers.set(route, { handler: spa.handle });
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
      handlers.set(route, {
        handler: proxy.handle,
        readiness: readinessOf(route.service, UPSTREAM_HOST, portOf(route)),
        notReady: proxy.unavailable,
        traced: route,
      });
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
      handlers.set(route, { handler: proxy.handle, readiness: readinessOf(route.service, UPSTREAM_HOST, portOf(route)), traced: route });
    }
  }
  const [emulatorHostname = UPSTREAM_HOST, emulatorPort = '9099'] = options.emulatorHost.split(':');
  const emulator = createHttpProxy({ name: 'the Auth emulator', host: emulatorHostname, port: Number(emulatorPort), ...EMULATOR_TIMEOUTS });
  httpProxies.push(emulator);
  const emulatorReadiness = readinessOf(EMULATOR_SERVICE, emulatorHostname, Number(emulatorPort));

  function route(req: IncomingMessage): Target | undefined {
    const path = new URL(req.url ?? '/', 'http://gateway').pathname;
    if (path === '/config.json') return { name: 'dev-config', handler: serveDevConfig };
    if (isEmulatorPath(path)) return { name: EMULATOR_SERVICE, handler: emulator.handle, readiness: emulatorReadiness };
    const match = matchRoute(table.routes, path);
    // As the production SPA's nginx answers: an /api/ path no service claims is a 404 problem, not the SPA.
    if (match?.prefix === '/' && path.startsWith('/api/')) return undefined;
    const target = match && handlers.get(match);
    return match && target ? { name: match.service, ...target } : undefined;
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const requestId = requestIdOf(req);
    const started = performance.now();
    // Before routing, for every route: a request whose end is unclear must reach no upstream.
    const framing = framingOf(req);
    const target = framing.ok ? route(req) : undefined;
    // The SPA's asset and module requests would drown the API calls, so only its failures are shown.
    if (options.log) {
      const log = options.log;
      const line = `${req.method} ${req.url} -> ${target?.name ?? 'no route'}`;
      res.once('close', () => {
        if (target?.name === 'frontend' && res.statusCode < 400) return;
        log(`${line} ${res.statusCode} ${Math.round(performance.now() - started)}ms`);
      });
    }
    if (!framing.ok) {
      sendProblem(req, res, 400, framing.problem, requestId, { close: true });
      return;
    }
    if (!target) {
      sendProblem(req, res, 404, 'no route matches this path', requestId);
      return;
    }
    if (target.traced) inGatewaySpan(req, res, target.traced, () => dispatch(target, req, res, requestId));
    else dispatch(target, req, res, requestId);
  });

  function dispatch(target: Target, req: IncomingMessage, res: ServerResponse, requestId: string): void {
    if (!target.readiness) {
      target.handler(req, res, requestId);
      return;
    }
    void target.readiness.isReady().then((ready) => {
      if (ready) {
        target.handler(req, res, requestId);
        return;
      }
      const message = `${target.name} is starting; retry shortly`;
      if (target.notReady) {
        target.notReady(req, res, requestId, message, RETRY_AFTER_S);
        return;
      }
      req.resume();
      sendProblem(req, res, 503, message, requestId, { headers: { 'retry-after': String(RETRY_AFTER_S) } });
    });
  }

  // An Expect other than 100-continue: Node's default is a bare 417 with no body. RFC 9110 §10.1.1
  // lets a server ignore it, so the request is handled as if it had none (found by the fuzz suite).
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => server.emit('request', req, res));

  // What Node's parser refuses (RFC 9112 framing errors, oversized headers) gets the same
  // problem+json as everything else instead of Node's bare 400, and the connection is closed.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => answerClientError(error, socket));

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

// The service kit has the same answer (services/shared/src/http/client-error.ts), but the gateway must not
// import workspace packages: test/images/app-setup.ts runs it in a Vitest global setup, which resolves them
// without the @testbed/source condition. Its problem types also say the gateway answered (`gateway-…`).
const CLIENT_ERROR_STATUS: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

/** Answers a request Node's parser refused, unless an answer is already under way, then closes. */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  // The response Node is writing on this socket, if any (how Node's own default handler tells).
  const current = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (socket.writable && !current?.headersSent && error.code !== 'ECONNRESET') {
    const status = CLIENT_ERROR_STATUS[error.code ?? ''] ?? 400;
    const reason = (error as { reason?: string }).reason ?? error.message;
    // The parser refused the request before its target was known: no `instance`.
    const body = problemBody(status, `the request is not valid HTTP/1.1 (${reason})`, undefined, randomUUID());
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
        'Content-Type: application/problem+json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Cache-Control: no-store\r\nConnection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroySoon();
}
