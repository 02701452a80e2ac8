import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, apiErrorFromResponse, describeError, parseRetryAfter } from './api-error.js';
import { requestJson } from './http.js';

const problem = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/problem+json', ...headers } });

afterEach(() => {
  vi.unstubAllGlobals();
});

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

describe('requestJson', () => {
  it('when the server cannot be reached, then a status-0 ApiError says so', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    const error = await requestJson('/api/public/stats').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).isNetworkError).toBe(true);
  });

  it('when a path falls through to the SPA shell (HTML with 200), then it is reported as an unavailable service', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response('<!doctype html>', { status: 200, headers: { 'content-type': 'text/html' } })));
    const error = await requestJson('/api/public/stats').catch((e: unknown) => e);
    expect((error as ApiError).status).toBe(502);
  });

  it('when a token is given, then it is sent as a Bearer authorization header with the JSON body', async () => {
    const fetchMock = vi.fn().mockResolvedValue(new Response('{"ok":true}', { status: 200, headers: { 'content-type': 'application/json' } }));
    vi.stubGlobal('fetch', fetchMock);
    await expect(requestJson('/x', { method: 'PUT', body: { a: 1 }, token: 'tok' })).resolves.toEqual({ ok: true });
    const [, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect((init.headers as Record<string, string>)['authorization']).toBe('Bearer tok');
    expect(init.body).toBe('{"a":1}');
  });
});
