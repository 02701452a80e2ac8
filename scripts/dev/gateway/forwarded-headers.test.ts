import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { endToEndHeaders, forwardedRequestHeaders, requestIdOf } from './forwarded-headers.js';

const request = (headers: IncomingMessage['headers']) => ({ headers, socket: { remoteAddress: '10.0.0.7' } }) as unknown as IncomingMessage;

describe('forwarded headers', () => {
  it('when headers pass the gateway, then hop-by-hop ones and those Connection names are dropped', () => {
    const headers = endToEndHeaders({ connection: 'keep-alive, x-secret-hop', 'keep-alive': 'timeout=5', 'x-secret-hop': '1', te: 'trailers', accept: '*/*' });
    expect(headers).toEqual({ accept: '*/*' });
  });

  it('when a client sends forwarding headers of its own, then the upstream sees only what the gateway saw', () => {
    const headers = forwardedRequestHeaders(
      request({
        host: 'localhost:8080',
        'x-forwarded-for': '192.0.2.1',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'evil.example',
        forwarded: 'for=192.0.2.1',
        'x-real-ip': '192.0.2.1',
      }),
      'rid-1',
    );
    expect(headers).not.toHaveProperty('forwarded');
    expect(headers).not.toHaveProperty('x-real-ip');
    expect(headers).toMatchObject({
      'x-forwarded-for': '10.0.0.7',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'localhost:8080',
      'x-request-id': 'rid-1',
    });
  });

  it('when the client sends a sane request id, then it is kept; otherwise a new one is made', () => {
    expect(requestIdOf(request({ 'x-request-id': 'abc-123' }))).toBe('abc-123');
    expect(requestIdOf(request({ 'x-request-id': 'has spaces\nand lines' }))).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdOf(request({}))).toMatch(/^[0-9a-f-]{36}$/);
  });
});
