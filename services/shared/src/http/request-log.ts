import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

declare module 'node:http' {
  interface IncomingMessage {
    /** The request id: the client's `x-request-id` when it is sane, else a new UUID (set by requestLog). */
    id: string;
  }
}

const REQUEST_ID_PATTERN = /^[\w.-]{1,128}$/;

/** Probes and scrapes run every few seconds; logging them drowns the real traffic. */
const UNLOGGED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

function requestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
}

/**
 * Gives each request its id (`req.id`, echoed as `x-request-id`) and writes one access-log line at
 * `info` when the response is done:
 * `{ req: { id, method, url }, res: { statusCode }, responseTime }` (milliseconds) with the message
 * `request completed`, `request errored` for a 5xx, or `request aborted` when the client went away
 * first. Probes and /metrics are not logged.
 *
 * Replaces pino-http, which built two child loggers per request whether or not anything was logged
 * (about 80 µs a request in the profiles, docs/performance.md): here nothing is allocated for
 * logging unless `info` is enabled, and the line goes through the process logger itself.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const id = requestId(req);
    req.id = id;
    res.setHeader('x-request-id', id);
    if (logger.isLevelEnabled('info') && !UNLOGGED_PATHS.has(req.url)) {
      const startedMs = performance.now();
      // `close` follows `finish` on a completed response, and comes alone when the client went away.
      res.once('close', () => {
        const statusCode = res.statusCode;
        const message = !res.writableFinished ? 'request aborted' : statusCode >= 500 ? 'request errored' : 'request completed';
        logger.info(
          {
            req: { id, method: req.method, url: req.originalUrl },
            res: { statusCode },
            responseTime: Math.round(performance.now() - startedMs),
          },
          message,
        );
      });
    }
    next();
  };
}
