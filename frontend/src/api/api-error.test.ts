import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorFromResponse, describeError, parseRetryAfter } from './api-error.js';

const problem = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/problem+json', ...headers } });

describe('apiErrorFromResponse', () => {
  it('when the server sends problem+json with field errors, then title, detail and per-field messages are kept', async () => {
    const error = await apiErrorFromResponse(
      problem(400, {
        type: 'about:blank',
        title: 'Invalid request',
        status: 400,
        detail: 'The body is not valid',
        errors: [
          { path: 'text', message: 'Too long' },
          { path: '/author', message: 'Too short' },
          { path: ['nested', 0, 'x'], message: 'Nested' },
          { nonsense: true },
        ],
      }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.title).toBe('Invalid request');
    expect(error.detail).toBe('The body is not valid');
    expect(error.fieldError('text')).toBe('Too long');
    expect(error.fieldError('author')).toBe('Too short');
    expect(error.fieldError('nested.0.x')).toBe('Nested');
    expect(error.fieldErrors).toHaveLength(3);
  });

  it('when the answer is 429 with Retry-After, then the wait is known and the message says how long', async () => {
    const error = await apiErrorFromResponse(problem(429, { title: 'Too Many Requests', status: 429 }, { 'retry-after': '42' }));
    expect(error.isRateLimited).toBe(true);
    expect(error.retryAfterSeconds).toBe(42);
    expect(describeError(error)).toEqual({ title: 'Slow down a little', detail: 'Too many requests: try again in 42 s.' });
  });

  it('when the body is not JSON, then the status still gives a sensible title', async () => {
    const error = await apiErrorFromResponse(new Response('<html>bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }));
    expect(error.status).toBe(502);
    expect(error.title).toBe('The service is unavailable');
    expect(error.detail).toBeUndefined();
  });

  it('when a 401 carries WWW-Authenticate, then the header is kept for the step-up logic', async () => {
    const error = await apiErrorFromResponse(problem(401, { title: 'Unauthorized' }, { 'www-authenticate': 'Bearer error="invalid_token"' }));
    expect(error.wwwAuthenticate).toBe('Bearer error="invalid_token"');
  });
});

describe('parseRetryAfter', () => {
  it('when given seconds or an HTTP date, then it returns whole seconds to wait', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('garbage', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
