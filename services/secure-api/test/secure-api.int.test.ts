import { setTimeout as sleep } from 'node:timers/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { MysqlPool } from '@testbed/service-kit';
import { createTestPool, EMULATOR_PROJECT_ID, freePort, signInUser, signUpUser, type EmulatorUser, type TestPool } from '@testbed/service-kit/testing';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSecureApiConfig } from '../src/config.js';
import { startService, type RunningSecureApi } from '../src/service.js';
import { startAuthService, type Neighbour } from './support/services.js';

const PROBLEM_JSON = /^application\/problem\+json/;
// auth-service's window, set on auth-service alone: secure-api learns it from VerifyToken.
const FRESH_AUTH_WINDOW_S = 240;
const STEP_UP_CHALLENGE = `Bearer realm="testbed", error="insufficient_user_authentication", error_description="A recent sign-in is required", max_age=${FRESH_AUTH_WINDOW_S}`;
const INVALID_TOKEN_CHALLENGE = /^Bearer realm="testbed", error="invalid_token", error_description="[^"]+"$/;

let db: TestPool;
let pool: MysqlPool;
let authService: Neighbour;
let api: RunningSecureApi;
let base: string;

// This file leaves public-api out (test/messages.int.test.ts covers it): point at a port nobody serves.
let noPublicApi: string;

async function startApi(env: Record<string, string>): Promise<RunningSecureApi> {
  return startService(loadSecureApiConfig({ PORT: '0', NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_API_URL: noPublicApi, ...env }));
}

beforeAll(async () => {
  noPublicApi = `http://127.0.0.1:${await freePort()}`;
  db = await createTestPool('secure_api', { connectionLimit: 2 });
  pool = db.pool;
  authService = await startAuthService({ FRESH_AUTH_WINDOW_S: String(FRESH_AUTH_WINDOW_S) });
  api = await startApi({ AUTH_GRPC_ADDR: authService.address, MYSQL_URL: db.url });
  base = `http://127.0.0.1:${api.port}`;
});

afterAll(async () => {
  await api?.stop();
  await authService?.stop();
  await db?.drop();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function me(method: string, headers: Record<string, string>, body?: string): Promise<Response> {
  return fetch(`${base}/api/secure/me`, { method, headers, body });
}

const put = (token: string, body: unknown) => me('PUT', { ...bearer(token), 'content-type': 'application/json' }, JSON.stringify(body));

async function expectProblem(response: Response, status: number): Promise<Record<string, unknown>> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
  const problem = (await response.json()) as Record<string, unknown>;
  expect(problem).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
  expect(JSON.stringify(problem)).not.toMatch(/\bat .*\.ts:\d+/);
  return problem;
}

async function profileRows(uid: string): Promise<RowDataPacket[]> {
  const [rows] = await pool.query<RowDataPacket[]>('SELECT * FROM profiles WHERE uid = ?', [uid]);
  return rows;
}

/** A user holding an older token after a newer sign-in that auth-service has already seen. */
async function userWithStaleToken(): Promise<{ stale: string; fresh: EmulatorUser }> {
  const user = await signUpUser();
  // Token iat has one-second resolution; the newer sign-in must land in a later second.
  await sleep(1_100);
  const fresh = await signInUser(user.email, user.password);
  const seen = await me('GET', bearer(fresh.idToken));
  expect(seen.status).toBe(200);
  return { stale: user.idToken, fresh };
}

describe('authentication', () => {
  it('when there is no Authorization header, then 401 invalid_token', async () => {
    const response = await me('GET', {});
    await expectProblem(response, 401);
    expect(response.headers.get('www-authenticate')).toMatch(INVALID_TOKEN_CHALLENGE);
  });

  it.each(['Bearer', 'Bearer ', 'Token abc', 'Basic dXNlcjpwdw==', 'Bearer a b', 'Bearer {json}'])(
    'when the Authorization header is malformed (%s), then 401 invalid_token',
    async (header) => {
      const response = await me('GET', { authorization: header });
      await expectProblem(response, 401);
      expect(response.headers.get('www-authenticate')).toMatch(INVALID_TOKEN_CHALLENGE);
    },
  );

  it('when the token is garbage, then auth-service rejects it and the answer is 401 invalid_token', async () => {
    const response = await me('GET', bearer('not.a.jwt'));
    await expectProblem(response, 401);
    expect(response.headers.get('www-authenticate')).toMatch(INVALID_TOKEN_CHALLENGE);
  });

  it('when a well-formed token is signed for nobody, then 401 invalid_token', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'x', aud: EMULATOR_PROJECT_ID })).toString('base64url');
    const response = await me('GET', bearer(`${header}.${payload}.`));
    await expectProblem(response, 401);
    expect(response.headers.get('www-authenticate')).toMatch(INVALID_TOKEN_CHALLENGE);
  });
});

describe('GET /api/secure/me', () => {
  it('when a user has no stored profile, then the defaults from the token are returned and nothing is written', async () => {
    const user = await signUpUser();
    expect(await profileRows(user.uid)).toHaveLength(0);

    const before = Date.now();
    const first = await me('GET', bearer(user.idToken));
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const body = (await first.json()) as Record<string, unknown>;
    expect(body).toEqual({
      uid: user.uid,
      email: user.email,
      emailVerified: false,
      displayName: user.email.split('@')[0],
      bio: '',
      authLevel: 'AUTHENTICATED',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updatedAt: body['createdAt'],
    });
    // Not stored: the time of the answer.
    expect(Date.parse(body['createdAt'] as string)).toBeGreaterThanOrEqual(before - 1);
    expect(await profileRows(user.uid)).toHaveLength(0);

    const second = (await (await me('GET', bearer(user.idToken))).json()) as Record<string, unknown>;
    expect({ ...second, createdAt: '', updatedAt: '' }).toEqual({ ...body, createdAt: '', updatedAt: '' });
    expect(await profileRows(user.uid)).toHaveLength(0);
  });

  it('when a user has a stored profile, then later reads return exactly the stored row', async () => {
    const user = await signUpUser();
    const saved = (await (await put(user.idToken, { displayName: 'Stored', bio: 'kept' })).json()) as Record<string, unknown>;
    expect(await (await me('GET', bearer(user.idToken))).json()).toEqual(saved);
    expect(await (await me('GET', bearer(user.idToken))).json()).toEqual(saved);
    expect(await profileRows(user.uid)).toHaveLength(1);
  });

  it("when the token carries a name, then the new profile's displayName is that name", async () => {
    const created = await signUpUser({ displayName: 'Ada Lovelace' });
    // The token from sign-up predates the name; a sign-in mints one that carries the `name` claim.
    const user = await signInUser(created.email, created.password);
    const response = await me('GET', bearer(user.idToken));
    expect(await response.json()).toMatchObject({ displayName: 'Ada Lovelace' });
  });

  it('when first requests for one user race, then all answer 200 and no row is written', async () => {
    const user = await signUpUser();
    const responses = await Promise.all(Array.from({ length: 5 }, () => me('GET', bearer(user.idToken))));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await profileRows(user.uid)).toHaveLength(0);
  });

  it('when the token is older than a newer sign-in, then reading still works at level AUTHORIZED', async () => {
    const { stale } = await userWithStaleToken();
    const response = await me('GET', bearer(stale));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ authLevel: 'AUTHORIZED' });
  });
});

describe('PUT /api/secure/me', () => {
  it('when the sign-in is fresh, then the profile is updated, returned and persisted', async () => {
    const user = await signUpUser();
    const created = (await (await put(user.idToken, { displayName: 'First', bio: '' })).json()) as Record<string, string>;

    const response = await put(user.idToken, { displayName: '  Grace Hopper  ', bio: 'Compilers ✨' });
    expect(response.status).toBe(200);
    const updated = (await response.json()) as Record<string, string>;
    expect(updated).toMatchObject({ uid: user.uid, displayName: 'Grace Hopper', bio: 'Compilers ✨', createdAt: created['createdAt'] });
    expect(Date.parse(updated['updatedAt']!)).toBeGreaterThanOrEqual(Date.parse(created['updatedAt']!));

    expect(await (await me('GET', bearer(user.idToken))).json()).toEqual(updated);
    const [row] = await profileRows(user.uid);
    expect(row).toMatchObject({ display_name: 'Grace Hopper', bio: 'Compilers ✨' });
  });

  it('when the profile does not exist yet, then PUT creates it', async () => {
    const user = await signUpUser();
    const response = await put(user.idToken, { displayName: 'New', bio: '' });
    expect(response.status).toBe(200);
    expect(await profileRows(user.uid)).toHaveLength(1);
  });

  it('when the token is older than a newer sign-in, then 401 with the step-up challenge and nothing changes', async () => {
    const { stale, fresh } = await userWithStaleToken();
    const response = await put(stale, { displayName: 'Hijacked', bio: '' });
    const problem = await expectProblem(response, 401);
    expect(response.headers.get('www-authenticate')).toBe(STEP_UP_CHALLENGE);
    expect(problem['detail']).toBe('A recent sign-in is required');
    const [row] = await profileRows(fresh.uid);
    expect(row?.['display_name']).not.toBe('Hijacked');
  });

  describe('validation', () => {
    let token: string;
    beforeAll(async () => {
      token = (await signUpUser()).idToken;
    });

    it.each([
      ['displayName has the wrong type', { displayName: 42, bio: '' }],
      ['bio has the wrong type', { displayName: 'Ada', bio: ['x'] }],
      ['there is an extra field', { displayName: 'Ada', bio: '', uid: 'someone-else' }],
      ['displayName is empty', { displayName: '', bio: '' }],
      ['displayName is blank', { displayName: '    ', bio: '' }],
      ['displayName has 51 characters', { displayName: 'x'.repeat(51), bio: '' }],
      ['bio has 281 characters', { displayName: 'Ada', bio: 'y'.repeat(281) }],
      ['a field is missing', { displayName: 'Ada' }],
      ['the body is not an object', ['Ada']],
    ])('when %s, then 400 problem+json listing the field', async (_case, body) => {
      const problem = await expectProblem(await put(token, body), 400);
      expect(problem['errors']).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.stringMatching(/^body/) })]));
    });

    it('when the body is larger than 16 KiB, then 413 problem+json', async () => {
      await expectProblem(await put(token, { displayName: 'Ada', bio: 'y'.repeat(17 * 1024) }), 413);
    });

    it('when the body is a bare JSON null, then 400 problem+json', async () => {
      await expectProblem(await put(token, null), 400);
    });

    it('when the body is not valid JSON, then 400 problem+json', async () => {
      await expectProblem(await me('PUT', { ...bearer(token), 'content-type': 'application/json' }, '{"displayName":'), 400);
    });

    it('when the body is text/plain, then 415 problem+json', async () => {
      await expectProblem(await me('PUT', { ...bearer(token), 'content-type': 'text/plain' }, 'displayName=Ada'), 415);
    });

    it('when there is no body at all, then 400 problem+json', async () => {
      await expectProblem(await me('PUT', bearer(token)), 400);
    });
  });
});

describe('DELETE /api/secure/me', () => {
  it('when the sign-in is fresh, then 204, the row is gone, and the next GET answers the defaults again without storing them', async () => {
    const user = await signUpUser();
    await put(user.idToken, { displayName: 'Temporary', bio: 'gone soon' });

    const response = await me('DELETE', bearer(user.idToken));
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(await profileRows(user.uid)).toHaveLength(0);

    const defaults = await me('GET', bearer(user.idToken));
    expect(await defaults.json()).toMatchObject({ displayName: user.email.split('@')[0], bio: '' });
    expect(await profileRows(user.uid)).toHaveLength(0);
  });

  it('when the token is older than a newer sign-in, then 401 with the step-up challenge and the row stays', async () => {
    const { stale, fresh } = await userWithStaleToken();
    expect((await put(fresh.idToken, { displayName: 'Kept', bio: '' })).status).toBe(200);
    const response = await me('DELETE', bearer(stale));
    await expectProblem(response, 401);
    expect(response.headers.get('www-authenticate')).toBe(STEP_UP_CHALLENGE);
    expect(await profileRows(fresh.uid)).toHaveLength(1);
  });

  it('when the newer token is used, then DELETE succeeds', async () => {
    const { fresh } = await userWithStaleToken();
    expect((await me('DELETE', bearer(fresh.idToken))).status).toBe(204);
  });
});

describe('routing and operations', () => {
  it('when the route is unknown, then 404 problem+json', async () => {
    const user = await signUpUser();
    await expectProblem(await fetch(`${base}/api/secure/nope`, { headers: bearer(user.idToken) }), 404);
    await expectProblem(await fetch(`${base}/nope`), 404);
  });

  it('when the method is not served, then 404 problem+json rather than 500', async () => {
    const user = await signUpUser();
    await expectProblem(await me('POST', { ...bearer(user.idToken), 'content-type': 'application/json' }, '{}'), 404);
  });

  it('when MySQL and auth-service are up but public-api is not, then /readyz is 200 degraded and /metrics counts the gRPC calls', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    // public-api only serves the message routes (not started in this file), so it is not critical.
    expect(await ready.json()).toMatchObject({
      status: 'degraded',
      checks: { mysql: { status: 'up' }, 'auth-service': { status: 'up' }, 'public-api': { status: 'down' } },
    });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/auth_verify_token_client_seconds_count\{[^}]*code="OK"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/auth_verify_token_client_seconds_count\{[^}]*code="UNAUTHENTICATED"[^}]*\} [1-9]/);
  });
});

describe('when auth-service cannot be reached', () => {
  it('when nothing listens on AUTH_GRPC_ADDR, then requests get 503 with Retry-After, never 401, and /readyz is 503', async () => {
    const closedPort = await freePort();
    const user = await signUpUser();
    const orphan = await startApi({ AUTH_GRPC_ADDR: `127.0.0.1:${closedPort}`, MYSQL_URL: db.url });
    try {
      const response = await fetch(`http://127.0.0.1:${orphan.port}/api/secure/me`, { headers: bearer(user.idToken) });
      await expectProblem(response, 503);
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(response.headers.get('www-authenticate')).toBeNull();

      const ready = await fetch(`http://127.0.0.1:${orphan.port}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'not-ready', checks: { 'auth-service': { status: 'down' } } });
    } finally {
      await orphan.stop();
    }
  });

  it('when auth-service accepts connections but never answers, then the 2 s deadline turns into 503', async () => {
    // A TCP listener that never speaks HTTP/2: the gRPC call can only end by its deadline.
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const user = await signUpUser();
    const stuck = await startApi({ AUTH_GRPC_ADDR: `127.0.0.1:${port}` });
    try {
      const response = await fetch(`http://127.0.0.1:${stuck.port}/api/secure/me`, { headers: bearer(user.idToken) });
      await expectProblem(response, 503);
      expect(response.headers.get('www-authenticate')).toBeNull();
    } finally {
      await stuck.stop();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
