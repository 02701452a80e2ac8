// What a reverse proxy must change in headers on the way through: drop hop-by-hop headers
// (RFC 9110 §7.6.1), tell the upstream who the client was, and carry one request id end to end.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
]);

// A client-chosen id is kept only if it is harmless to log and echo.
const REQUEST_ID = /^[\w.:-]{1,128}$/;

export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Headers minus hop-by-hop ones, including any the Connection header names. */
export function endToEndHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = String(headers.connection ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const result: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name.startsWith(':') || HOP_BY_HOP.has(name) || named.includes(name)) continue;
    result[name] = value;
  }
  return result;
}

// Forwarding headers only the edge may write: whatever a client sends in them is a claim, not a fact.
const SET_BY_EDGE = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'x-forwarded-prefix', 'x-real-ip'];

/**
 * The request headers an upstream sees: end-to-end headers, x-request-id, and X-Forwarded-For /
 * -Proto / -Host as this gateway saw the connection. The gateway is the edge (it faces the
 * client directly), so it replaces those headers and any other forwarding claim the client sent
 * (RFC 7239 Forwarded, X-Real-IP, ...) rather than appending to them; services trust exactly one
 * hop (TRUSTED_PROXY_HOPS) of X-Forwarded-For, which is then this address.
 */
export function forwardedRequestHeaders(req: IncomingMessage, requestId: string): OutgoingHttpHeaders {
  const headers = endToEndHeaders(req.headers);
  for (const name of SET_BY_EDGE) delete headers[name];
  headers['x-forwarded-for'] = req.socket.remoteAddress ?? 'unknown';
  headers['x-forwarded-proto'] = 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http';
  // The Host the client asked for (checked to be exactly one by framingOf); services build no URLs from it.
  if (req.headers.host) headers['x-forwarded-host'] = req.headers.host;
  headers['x-request-id'] = requestId;
  return headers;
}
