// Reverse proxy for plain HTTP routes, on undici's connection pool: streams both bodies, keeps
// upstream connections alive, bounds body size and time per route, and answers problems when the
// request or the upstream fails. The body it forwards is always framed by the gateway itself (a
// Content-Length it has checked, or chunked re-encoded by undici), never passed on as raw bytes:
// an unframed body on a kept-alive upstream connection is parsed there as the next request
// (request smuggling).
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { pipeline, type Readable } from 'node:stream';
import { Pool } from 'undici';
import { BodyTooLargeError, bodyLimit } from './body-limit.js';
import { endToEndHeaders, forwardedRequestHeaders } from './forwarded-headers.js';
import { framingOf } from './framing.js';
import { RETRY_AFTER_S, sendProblem } from './problem.js';
import { injectTraceContext } from './tracing.js';

export interface HttpUpstream {
  /** Named in errors and logs, e.g. "public-api". */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** Time from the request to the whole response. */
  readonly responseTimeoutMs: number;
  /** Longest silence from the upstream while its response streams. */
  readonly idleTimeoutMs: number;
  readonly maxRequestBodyBytes: number;
}

export interface HttpProxy {
  handle: (req: IncomingMessage, res: ServerResponse, requestId: string) => void;
  close(): void;
}

// The gateway frames the body itself; undici refuses `expect` (the gateway already answered 100 Continue).
const SET_BY_PROXY = ['content-length', 'expect'];

// Failures that mean nothing reached the upstream, so a retry can succeed (Envoy answers these with 503 too).
// A reset is not among them: the request may already have been processed.
const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

export function createHttpProxy(upstream: HttpUpstream): HttpProxy {
  // Reusing connections saves a TCP handshake per request; pipelining stays off (undici's default of 1).
  const pool = new Pool(`http://${upstream.host}:${upstream.port}`, {
    connections: 128,
    keepAliveTimeout: 4_000,
    connect: { timeout: 5_000 },
  });

  function handle(req: IncomingMessage, res: ServerResponse, requestId: string): void {
    const framing = framingOf(req);
    if (!framing.ok) {
      sendProblem(req, res, 400, framing.problem, requestId, { close: true });
      return;
    }
    const { kind } = framing.framing;
    if (framing.framing.kind === 'length' && framing.framing.length > upstream.maxRequestBodyBytes) {
      req.resume();
      sendProblem(req, res, 413, `request body is larger than ${upstream.maxRequestBodyBytes} bytes`, requestId);
      return;
    }

    const abort = new AbortController();
    let answered = false;
    const fail = (status: number, detail: string, headers: OutgoingHttpHeaders = {}) => {
      if (answered) return;
      answered = true;
      clearTimeout(responseTimer);
      abort.abort();
      sendProblem(req, res, status, detail, requestId, { headers });
    };
    const responseTimer = setTimeout(() => fail(504, `${upstream.name} did not answer within ${upstream.responseTimeoutMs} ms`), upstream.responseTimeoutMs);
    // The client went away: stop the upstream work too.
    res.on('close', () => {
      clearTimeout(responseTimer);
      if (!res.writableFinished) abort.abort();
    });

    const headers = forwardedRequestHeaders(req, requestId);
    for (const name of SET_BY_PROXY) delete headers[name];
    injectTraceContext(headers);
    let body: Readable | null = null;
    if (kind === 'none') {
      req.resume();
    } else {
      if (framing.framing.kind === 'length') headers['content-length'] = String(framing.framing.length);
      // Not pipeline(): it would destroy the client's request, and with it the socket the 413 answer must go out on.
      const limiter = bodyLimit(upstream.maxRequestBodyBytes);
      limiter.on('error', (error) => {
        req.unpipe(limiter);
        req.resume();
        fail(error instanceof BodyTooLargeError ? 413 : 400, error.message);
      });
      // A body cut short by the client (or a broken chunk, which Node's parser reports as an abort)
      // must not reach the upstream as a complete one.
      const cut = () => limiter.destroy(new Error('the client did not send the whole body'));
      req.once('aborted', cut);
      req.once('error', cut);
      body = req.pipe(limiter);
    }

    pool
      .request({
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: headers as Record<string, string | string[]>,
        body,
        signal: abort.signal,
        headersTimeout: upstream.responseTimeoutMs,
        bodyTimeout: upstream.idleTimeoutMs,
      })
      .then(
        (response) => {
          if (answered) {
            response.body.resume();
            return;
          }
          answered = true;
          const back = endToEndHeaders(response.headers);
          back['x-request-id'] ??= requestId;
          res.writeHead(response.statusCode, back);
          pipeline(response.body, res, () => clearTimeout(responseTimer));
        },
        (error: NodeJS.ErrnoException) => {
          const code = error.code ?? error.name;
          if (code === 'UND_ERR_HEADERS_TIMEOUT') fail(504, `${upstream.name} did not answer within ${upstream.responseTimeoutMs} ms`);
          else if (CONNECT_FAILURES.has(code) && !res.headersSent) {
            fail(503, `${upstream.name} is not answering (${code}); retry shortly`, { 'retry-after': String(RETRY_AFTER_S) });
          } else fail(502, `${upstream.name} failed (${code})`);
        },
      );
  }

  return { handle, close: () => void pool.destroy() };
}
