import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The headers helmet sets, worked out once: helmet is run against a stand-in response at start-up
 * and the middleware then copies the result onto every response. helmet rebuilds them on each
 * response (the Content-Security-Policy string included), about 30 µs a request in the profiles;
 * none of ours depends on the request (no CSP nonces), so the result is the same.
 */
export function securityHeaders(options?: Readonly<HelmetOptions>): RequestHandler {
  const headers = new Map<string, string>();
  const standIn = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.set(name, String(value));
    },
    removeHeader(name: string) {
      headers.delete(name);
    },
  } as unknown as ServerResponse;
  let done = false;
  helmet(options)({} as IncomingMessage, standIn, (error?: unknown) => {
    if (error) throw new Error('helmet failed on the stand-in response', { cause: error });
    done = true;
  });
  // helmet's middleware is synchronous today; if a release ever defers, fail loudly at start-up.
  if (!done) throw new Error('helmet did not finish synchronously; security headers cannot be precomputed');
  const entries = [...headers];
  return (_req, res, next) => {
    for (const [name, value] of entries) res.setHeader(name, value);
    next();
  };
}
