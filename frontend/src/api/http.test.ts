import type { PublicApiPaths, SecureApiPaths } from '@testbed/contracts/http/types';
import createClient from 'openapi-fetch';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from './api-error.js';
import { bearer, dataOf, problemMiddleware } from './http.js';

function clientWith<Paths extends object>(fetch: (request: Request) => Promise<Response>) {
  const client = createClient<Paths>({ baseUrl: 'http://testbed.test/api', fetch });
  client.use(problemMiddleware);
  return client;
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('problemMiddleware', () => {
  it('when the server cannot be reached, then a status-0 ApiError says so', async () => {
    const client = clientWith<PublicApiPaths>(() => Promise.reject(new TypeError('Failed to fetch')));
    const error = await client.GET('/stats').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).isNetworkError).toBe(true);
  });

  it('when a path falls through to the SPA shell (HTML with 200), then it is reported as an unavailable service', async () => {
    const client = clientWith<PublicApiPaths>(async () => new Response('<!doctype html>', { status: 200, headers: { 'content-type': 'text/html' } }));
    const error = await client.GET('/stats').catch((e: unknown) => e);
    expect((error as ApiError).status).toBe(502);
  });

  it('when the server answers a problem, then it is thrown as an ApiError with its fields and Retry-After', async () => {
    const problem = { type: 'about:blank', title: 'Too many requests', status: 429, detail: 'Slow down' };
    const client = clientWith<PublicApiPaths>(
      async () => new Response(JSON.stringify(problem), { status: 429, headers: { 'content-type': 'application/problem+json', 'retry-after': '7' } }),
    );
    const error = await client.POST('/messages', { body: { text: 'hi' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 429, title: 'Too many requests', detail: 'Slow down', retryAfterSeconds: 7 });
  });

  it('when a token and a body are given, then they are sent as Bearer authorization and JSON, and the 2xx body is the data', async () => {
    const fetchMock = vi.fn(async (_request: Request) => json({ ok: true }));
    const client = clientWith<SecureApiPaths>(fetchMock);
    const update = { displayName: 'Ada', bio: '' };
    const data = dataOf(await client.PUT('/me', { body: update, headers: bearer('tok') }));
    expect(data).toEqual({ ok: true });
    const request = fetchMock.mock.calls[0]?.[0] as Request;
    expect(request.method).toBe('PUT');
    expect(request.headers.get('authorization')).toBe('Bearer tok');
    expect(request.headers.get('accept')).toBe('application/json, application/problem+json');
    expect(await request.json()).toEqual(update);
  });
});
