import type { Request } from 'express';

const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

/** The caller's W3C trace context, carried on; anything malformed is dropped, not forwarded. */
export function traceparentOf(req: Request): string | undefined {
  const value = req.get('traceparent');
  return value !== undefined && TRACEPARENT.test(value) ? value : undefined;
}
