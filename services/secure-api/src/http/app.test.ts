import { request as httpRequest } from 'node:http';
import { AppError, createLogger, Health, listenHttp, Metrics, type RunningHttpServer } from '@testbed/service-kit';
import type { AuthVerifier, VerifyOptions } from '@testbed/service-kit/auth';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryProfileStore } from '../adapters/memory/profile.store.js';
import type { AuthLevel, VerifiedSession } from '../domain/session.js';
import { createApp } from './app.js';

// A fake verifier keyed by token: each token names the outcome the test wants from auth-service.
const session = (level: AuthLevel, freshAuthMaxAgeS = 120): VerifiedSession => ({
  uid: `uid-${level}`,
  email: 'ada@example.test',
  emailVerified: true,
  displayName: '',
  signInProvider: 'password',
  authTime: 1,
  issuedAt: 1,
  expiresAt: 2,
  level,
  freshAuthMaxAgeS,
});

const outcomes: Record<string, () => VerifiedSession> = {
  fresh: () => session('AUTHENTICATED'),
  stale: () => session('AUTHORIZED'),
  // An auth-service with another window: the challenge follows it, there is no setting of our own.
  'stale-240': () => session('AUTHORIZED', 240),
  // An older auth-service that does not announce its window.
  'stale-unknown': () => ({ ...session('AUTHORIZED'), freshAuthMaxAgeS: undefined }),
  rejected: () => {
    throw new AppError('unauthenticated', 'token expired');
  },
  empty: () => {
    throw new AppError('invalid-argument', 'id_token is required');
  },
  down: () => {
    throw new AppError('unavailable', 'connect ECONNREFUSED');
  },
  slow: () => {
    throw new AppError('deadline-exceeded', 'Deadline exceeded');
  },
  broken: () => {
    throw new AppError('internal', 'internal error');
  },
};

// Every verification the app asked for, in order.
const verifications: { token: string; options: VerifyOptions | undefined }[] = [];

const fakeVerifier: AuthVerifier = {
  verify: async (token, options) => {
    verifications.push({ token, options });
    return (outcomes[token] ?? outcomes['rejected']!)();
  },
};

let server: RunningHttpServer;
let base: string;

beforeAll(async () => {
  const logger = createLogger({ service: 'secure-api-test', level: 'silent' });
  const app = createApp({
    logger,
    metrics: new Metrics('secure-api-test'),
    health: new Health(logger),
    verifier: fakeVerifier,
    profiles: new MemoryProfileStore(),
    // The message routes are tested against the real public-api in test/messages.int.test.ts.
    messageBoard: {
      post: (text, displayName) =>
        Promise.resolve({
          message: { id: 'm1', text, author: { uid: 'uid-AUTHENTICATED', displayName }, createdAt: '' },
          location: null,
        }),
      activityOf: () => Promise.resolve({ items: [], nextCursor: null }),
      ping: () => Promise.resolve(),
    },
  });
  server = await listenHttp(app, 0, '127.0.0.1');
  base = `http://127.0.0.1:${server.port}/api/secure`;
});

afterAll(() => server.close());

const call = (method: string, token: string | undefined, body?: unknown) =>
  fetch(`${base}/me`, {
    method,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('authentication errors', () => {
  it.each(['rejected', 'empty'])('when auth-service rejects the token (%s), then 401 invalid_token', async (token) => {
    const response = await call('GET', token);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="testbed", error="invalid_token", error_description="[^"]+"$/);
  });

  it.each(['down', 'slow', 'broken'])('when auth-service fails (%s), then 503 with Retry-After and never 401', async (token) => {
    const response = await call('GET', token);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.headers.get('www-authenticate')).toBeNull();
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('when the Authorization header is not a bearer token, then 401 invalid_token', async () => {
    const response = await fetch(`${base}/me`, { headers: { authorization: 'Basic dXNlcjpwdw==' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });
});

describe('step-up', () => {
  it("when an AUTHORIZED-only token changes the profile, then 401 with auth-service's window as max_age", async () => {
    for (const [method, body] of [
      ['PUT', { displayName: 'Ada', bio: '' }],
      ['DELETE', undefined],
    ] as const) {
      const response = await call(method, 'stale', body);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(
        'Bearer realm="testbed", error="insufficient_user_authentication", error_description="A recent sign-in is required", max_age=120',
      );
    }
  });

  it('when auth-service announces another window, then max_age is that window (one source, no setting here)', async () => {
    const response = await call('PUT', 'stale-240', { displayName: 'Ada', bio: '' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/, max_age=240$/);
  });

  it('when auth-service does not announce a window, then the step-up challenge has no max_age rather than a guess', async () => {
    const response = await call('DELETE', 'stale-unknown');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer realm="testbed", error="insufficient_user_authentication", error_description="A recent sign-in is required"',
    );
  });

  it('when an AUTHORIZED-only token reads the profile, then it is allowed', async () => {
    const response = await call('GET', 'stale');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ authLevel: 'AUTHORIZED', displayName: 'ada' });
  });

  it('when an AUTHENTICATED token changes the profile, then it succeeds', async () => {
    const response = await call('PUT', 'fresh', { displayName: ' Ada ', bio: 'b' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ displayName: 'Ada', bio: 'b', authLevel: 'AUTHENTICATED' });
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

describe('revocation checks', () => {
  beforeEach(() => {
    verifications.length = 0;
  });

  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: 'Bearer fresh', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it.each([
    ['PUT /me', () => call('PUT', 'fresh', { displayName: 'Ada', bio: '' }), 200],
    ['DELETE /me', () => call('DELETE', 'fresh'), 204],
    ['POST /messages', () => post('/messages', { text: 'hello' }), 201],
  ])('when a request writes (%s), then auth-service is asked to check revocation', async (_, send, status) => {
    expect((await send()).status).toBe(status);
    expect(verifications).toEqual([{ token: 'fresh', options: { checkRevoked: true } }]);
  });

  it('when a step-up is refused, then the refusal too was decided with revocation checked', async () => {
    expect((await call('PUT', 'stale', { displayName: 'Ada', bio: '' })).status).toBe(401);
    expect(verifications).toEqual([{ token: 'stale', options: { checkRevoked: true } }]);
  });

  it.each([
    ['GET /me', () => call('GET', 'fresh')],
    ['GET /me/activity', () => fetch(`${base}/me/activity`, { headers: { authorization: 'Bearer fresh' } })],
  ])('when a request only reads (%s), then auth-service may answer from its cache', async (_, send) => {
    expect((await send()).status).toBe(200);
    expect(verifications).toEqual([{ token: 'fresh', options: { checkRevoked: false } }]);
  });
});

describe('more than one credential', () => {
  // fetch() cannot send a header twice; node:http sends a flat [name, value, ...] list line by line.
  const rawGet = (authorization: string[]) =>
    new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      // A flat list gets no automatic Host header, and Node's server refuses requests without one.
      const headers = ['host', new URL(base).host, ...authorization.flatMap((value) => ['authorization', value])];
      const req = httpRequest(`${base}/me`, { headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });

  it.each([
    ['two Authorization headers, the first valid', ['Bearer fresh', 'Bearer stale']],
    ['two Authorization headers, the second valid', ['Bearer rejected', 'Bearer fresh']],
    ['two credentials in one header', ['Bearer fresh, Bearer stale']],
  ])('when the request carries %s, then 400 invalid_request and nothing is verified', async (_, authorization) => {
    verifications.length = 0;
    const response = await rawGet(authorization);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="testbed", error="invalid_request", /);
    expect(JSON.parse(response.body)).toMatchObject({ status: 400 });
    expect(verifications).toEqual([]);
  });
});
