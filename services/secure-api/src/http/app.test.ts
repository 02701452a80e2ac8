import { AppError, createLogger, Health, listenHttp, Metrics, type RunningHttpServer } from '@testbed/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryProfileStore } from '../adapters/memory/profile.store.js';
import type { AuthVerifier } from '../domain/auth-verifier.js';
import type { AuthLevel, VerifiedSession } from '../domain/session.js';
import { createApp } from './app.js';

// A fake verifier keyed by token: each token names the outcome the test wants from auth-service.
const session = (level: AuthLevel): VerifiedSession => ({
  uid: `uid-${level}`,
  email: 'ada@example.test',
  emailVerified: true,
  displayName: '',
  signInProvider: 'password',
  authTime: 1,
  issuedAt: 1,
  expiresAt: 2,
  level,
});

const outcomes: Record<string, () => VerifiedSession> = {
  fresh: () => session('AUTHENTICATED'),
  stale: () => session('AUTHORIZED'),
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

const fakeVerifier: AuthVerifier = {
  verify: async (token) => (outcomes[token] ?? outcomes['rejected']!)(),
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
      post: () => Promise.reject(new AppError('unavailable', 'not in this test')),
      activityOf: () => Promise.reject(new AppError('unavailable', 'not in this test')),
      ping: () => Promise.resolve(),
    },
    freshAuthMaxAgeS: 120,
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
  it('when an AUTHORIZED-only token changes the profile, then 401 with the configured max_age', async () => {
    for (const [method, body] of [['PUT', { displayName: 'Ada', bio: '' }], ['DELETE', undefined]] as const) {
      const response = await call(method, 'stale', body);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(
        'Bearer realm="testbed", error="insufficient_user_authentication", error_description="A recent sign-in is required", max_age=120',
      );
    }
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
