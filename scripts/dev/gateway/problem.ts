// The gateway's own errors (bad framing, upstream down or not ready, too slow, body too large) in
// the same RFC 9457 shape the services use, so the SPA handles one error format whoever answered.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';

/** What a 503 from the gateway asks clients to wait, in seconds. */
export const RETRY_AFTER_S = 1;

export interface ProblemOptions {
  /** Extra response headers, e.g. Retry-After. */
  readonly headers?: OutgoingHttpHeaders;
  /** Close the connection after the answer: the rest of what the client sent cannot be trusted. */
  readonly close?: boolean;
}

// RFC 9110 names; Node's table still has some older ones (413 "Payload Too Large").
const TITLES: Record<number, string> = { 413: 'Content Too Large' };

/** The problem document for `status` as JSON text; no `instance` when the request's target is unknown (RFC 9457 makes it optional). */
export function problemBody(status: number, detail: string, instance: string | undefined, requestId: string): string {
  const title = TITLES[status] ?? STATUS_CODES[status] ?? 'Error';
  return JSON.stringify({
    type: `urn:testbed:problem:gateway-${title.toLowerCase().replaceAll(' ', '-')}`,
    title,
    status,
    detail,
    instance,
    requestId,
  });
}

export function sendProblem(req: IncomingMessage, res: ServerResponse, status: number, detail: string, requestId: string, options: ProblemOptions = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = problemBody(status, detail, req.url ?? '/', requestId);
  res.writeHead(status, {
    ...options.headers,
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-request-id': requestId,
    ...(options.close ? { connection: 'close' } : {}),
  });
  res.end(body);
}
