import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Health } from '../health.js';
import type { Metrics } from '../metrics.js';
import { INVALID_UTF8_BODY, notFoundHandler, problemErrorHandler, sendProblem } from './problem.js';
import { requestLog } from './request-log.js';
import { securityHeaders } from './security-headers.js';

export interface HttpAppDeps {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly health: Health;
}

export interface HttpAppOptions {
  /** Largest accepted JSON body; anything bigger is a 413. */
  readonly bodyLimit?: string;
  /**
   * Proxies in front of the service whose X-Forwarded-For entries are believed (TRUSTED_PROXY_HOPS);
   * `req.ip`, which rate limits key on, is the entry this many hops from the right. Default 0:
   * the socket address, whatever the client claims.
   */
  readonly trustedProxyHops?: number;
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The API speaks JSON only: a body of any other type is a 415 before it is read. */
const requireJsonBodies: RequestHandler = (req, res, next) => {
  if (hasBody(req) && !req.is(['application/json', 'application/*+json'])) {
    sendProblem(res, 'unsupported-media-type', 'request body must be application/json');
    return;
  }
  next();
};

/**
 * body-parser's `verify` hook, on the raw bytes: JSON is UTF-8 (RFC 8259 section 8.1), and a decoder
 * would otherwise turn each invalid byte into U+FFFD, so the text stored would silently differ from
 * the text sent. Thrown errors reach the problem handler with this `type` (a 400).
 */
function requireUtf8(_req: IncomingMessage, _res: unknown, body: Buffer): void {
  if (!isUtf8(body)) throw Object.assign(new Error('request body is not valid UTF-8'), { type: INVALID_UTF8_BODY });
}

function observeDuration(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const end = metrics.httpDuration.startTimer();
    res.once('finish', () => {
      // The route pattern, not the raw path, keeps label cardinality bounded.
      const route = req.route ? `${req.baseUrl}${String((req.route as { path: unknown }).path)}` : 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}

/**
 * Builds a service's Express app: security headers, request ids, access logs, metrics, health
 * endpoints, JSON bodies only, problem+json errors and a 404 for everything else. It never listens.
 */
export function createHttpApp(deps: HttpAppDeps, mountRoutes: (app: Express) => void, options: HttpAppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  // A hop count, never address ranges: any client can write a private address into the header.
  app.set('trust proxy', options.trustedProxyHops ?? 0);
  app.set('query parser', 'simple');

  // The API's JSON is never cached (secure-api says no-store, nothing else sets a lifetime) and no
  // client sends If-None-Match, so hashing every body for an ETag bought nothing.
  app.set('etag', false);

  app.use(requestLog(deps.logger));
  app.use(securityHeaders());
  app.use(observeDuration(deps.metrics));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const report = await deps.health.readiness();
    res.status(report.status === 'not-ready' ? 503 : 200).json(report);
  });
  app.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  app.use(requireJsonBodies);
  app.use(express.json({ limit: options.bodyLimit ?? '16kb', type: ['application/json', 'application/*+json'], verify: requireUtf8 }));

  mountRoutes(app);

  app.use(notFoundHandler());
  app.use(problemErrorHandler(deps.logger));
  return app;
}
