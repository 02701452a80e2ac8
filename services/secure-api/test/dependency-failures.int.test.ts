import {
  createTestDatabase,
  freePort,
  signUpUser,
  tcpProxy,
  testMysqlServerUrl,
  waitFor,
  type EmulatorUser,
  type TcpProxy,
  type TestDatabase,
} from '@testbed/service-kit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadSecureApiConfig } from '../src/config.js';
import { startService, type RunningSecureApi } from '../src/service.js';
import { startAuthService, type Neighbour } from './support/services.js';

// Small on purpose, so an outage is answered soon; every bound below is derived from these.
const TIMEOUTS = { connect: 500, query: 1_000, poolWait: 500 } as const;
// The longest a request may take to fail: a pool wait, a connect and a statement, plus scheduling slack.
const ANSWER_BOUND_MS = TIMEOUTS.poolWait + TIMEOUTS.connect + TIMEOUTS.query + 2_000;
const RESUME_BOUND_MS = 2_000;

let db: TestDatabase;
let proxy: TcpProxy;
let authService: Neighbour;
let api: RunningSecureApi;
let user: EmulatorUser;
let base: string;

beforeAll(async () => {
  db = await createTestDatabase('secure_api_outages');
  const server = new URL(testMysqlServerUrl());
  proxy = await tcpProxy({ host: server.hostname, port: Number(server.port || 3306) });
  const proxied = new URL(db.url);
  proxied.host = `127.0.0.1:${proxy.port}`;
  authService = await startAuthService();
  api = await startService(
    loadSecureApiConfig({
      PORT: '0',
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      AUTH_GRPC_ADDR: authService.address,
      PUBLIC_API_URL: `http://127.0.0.1:${await freePort()}`,
      MYSQL_URL: proxied.href,
      MYSQL_CONNECT_TIMEOUT_MS: String(TIMEOUTS.connect),
      MYSQL_QUERY_TIMEOUT_MS: String(TIMEOUTS.query),
      MYSQL_POOL_WAIT_TIMEOUT_MS: String(TIMEOUTS.poolWait),
    }),
  );
  base = `http://127.0.0.1:${api.port}`;
  user = await signUpUser();
});

afterEach(async () => {
  await proxy.forward();
});

afterAll(async () => {
  await api?.stop();
  await authService?.stop();
  await proxy?.close();
  await db?.drop();
});

const me = (method: string, body?: unknown) =>
  fetch(`${base}/api/secure/me`, {
    method,
    headers: { authorization: `Bearer ${user.idToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
    // Abandoned (and the test fails) if not answered within the bound.
    signal: AbortSignal.timeout(ANSWER_BOUND_MS),
  });

const requests = () => [me('GET'), me('PUT', { displayName: 'Ann', bio: 'outage' }), me('DELETE')];

async function expectRetryableProblem(response: Response): Promise<void> {
  expect(response.status).toBe(503);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
}

describe('secure-api when MySQL fails', () => {
  it('when MySQL refuses connections (down), then every profile endpoint answers 503 problem+json with Retry-After, within the bound', async () => {
    await proxy.refuse();
    for (const response of await Promise.all(requests())) await expectRetryableProblem(response);
  });

  it('when MySQL accepts connections but never answers (hung), then every profile endpoint answers 503 with Retry-After, within the bound', async () => {
    expect((await me('GET')).status).toBe(200);
    await proxy.swallow();
    for (const response of await Promise.all(requests())) await expectRetryableProblem(response);
  });

  it('when MySQL comes back, then readiness and a real request succeed within 2 s', async () => {
    await proxy.refuse();
    await expectRetryableProblem(await me('GET'));
    await proxy.forward();
    await waitFor(async () => (await api.health.readiness()).checks['mysql']?.status === 'up' && (await me('GET')).status === 200, {
      timeoutMs: RESUME_BOUND_MS,
      intervalMs: 50,
      what: 'secure-api to resume after MySQL returned',
    });
  });
});
