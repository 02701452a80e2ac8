// Reverse proxy for plain HTTP routes: streams both bodies, keeps upstream connections alive,
// bounds body size and time per route, and answers 502/504 problems when an upstream fails.
import { Agent, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { BodyTooLargeError, bodyLimit, declaredTooLarge } from './body-limit.js';
import { endToEndHeaders, forwardedRequestHeaders } from './forwarded-headers.js';
import { sendProblem } from './problem.js';

export interface HttpUpstream {
  /** Named in errors and logs, e.g. "public-api". */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly responseTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly maxRequestBodyBytes: number;
}

export interface HttpProxy {
  handle(req: IncomingMessage, res: ServerResponse, requestId: string): void;
  close(): void;
}

export function createHttpProxy(upstream: HttpUpstream): HttpProxy {
  // Reusing connections saves a TCP handshake per request and keeps the upstream's accept queue calm.
  const agent = new Agent({ keepAlive: true, maxSockets: 128, maxFreeSockets: 16 });

  function handle(req: IncomingMessage, res: ServerResponse, requestId: string): void {
    // HTTP/1.1 framing (RFC 9112 §6.3): a request has a body exactly when it says so.
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (hasBody && declaredTooLarge(req.headers['content-length'], upstream.maxRequestBodyBytes)) {
      req.resume();
      sendProblem(req, res, 413, `request body is larger than ${upstream.maxRequestBodyBytes} bytes`, requestId);
      return;
    }

    const upstreamReq = request({
      host: upstream.host,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: forwardedRequestHeaders(req, requestId),
      agent,
      timeout: upstream.idleTimeoutMs,
    });

    let failed = false;
    const fail = (status: number, detail: string) => {
      if (failed) return;
      failed = true;
      clearTimeout(responseTimer);
      upstreamReq.destroy();
      sendProblem(req, res, status, detail, requestId);
    };
    const responseTimer = setTimeout(
      () => fail(504, `${upstream.name} did not answer within ${upstream.responseTimeoutMs} ms`),
      upstream.responseTimeoutMs,
    );
    upstreamReq.on('timeout', () => fail(504, `${upstream.name} was idle for ${upstream.idleTimeoutMs} ms`));
    upstreamReq.on('error', (error: NodeJS.ErrnoException) =>
      fail(502, `${upstream.name} is not answering (${error.code ?? error.message})`),
    );
    // The client went away: stop the upstream work too.
    res.on('close', () => {
      clearTimeout(responseTimer);
      if (!res.writableFinished) upstreamReq.destroy();
    });

    upstreamReq.on('response', (upstreamRes) => {
      if (failed) {
        upstreamRes.resume();
        return;
      }
      const headers = endToEndHeaders(upstreamRes.headers);
      headers['x-request-id'] ??= requestId;
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, headers);
      pipeline(upstreamRes, res, () => clearTimeout(responseTimer));
    });

    if (hasBody) {
      // Not pipeline(): it would destroy the client's request, and with it the socket the
      // 413/502 answer must go out on.
      const limiter = bodyLimit(upstream.maxRequestBodyBytes);
      limiter.on('error', (error) => {
        req.unpipe(limiter);
        req.resume();
        fail(error instanceof BodyTooLargeError ? 413 : 502, error.message);
      });
      req.pipe(limiter).pipe(upstreamReq);
    } else {
      req.resume();
      upstreamReq.end();
    }
  }

  return { handle, close: () => agent.destroy() };
}
