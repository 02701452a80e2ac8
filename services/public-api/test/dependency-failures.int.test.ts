import { setTimeout as sleep } from 'node:timers/promises';
import {
  createTestDatabase,
  privateNatsServer,
  privateRedisServer,
  tcpProxy,
  testMysqlServerUrl,
  waitFor,
  type PrivateNatsServer,
  type PrivateRedisServer,
  type TcpProxy,
  type TestDatabase,
} from '@testbed/service-kit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPublicApi } from '../src/service.js';
import { startTestApi, uniqueClientIp } from './helpers.js';

// Small on purpose, so an outage is answered soon; every bound below is derived from these.
const TIMEOUTS = { connect: 500, query: 1_000, poolWait: 500 } as const;
const TIMEOUT_ENV = {
  MYSQL_CONNECT_TIMEOUT_MS: String(TIMEOUTS.connect),
  MYSQL_QUERY_TIMEOUT_MS: String(TIMEOUTS.query),
  MYSQL_POOL_WAIT_TIMEOUT_MS: String(TIMEOUTS.poolWait),
};
// The longest a request may take to fail: a pool wait, a connect and a statement, plus scheduling slack.
const ANSWER_BOUND_MS = TIMEOUTS.poolWait + TIMEOUTS.connect + TIMEOUTS.query + 2_000;
// After a dependency returns, the service must be back within this (issue 7, item 12).
const RESUME_BOUND_MS = 2_000;

let db: TestDatabase;
let proxy: TcpProxy;

/** The test database, reached through the proxy. */
function proxiedMysqlUrl(): string {
  const url = new URL(db.url);
  url.host = `127.0.0.1:${proxy.port}`;
  return url.href;
}

beforeAll(async () => {
  db = await createTestDatabase('public_api_outages');
  const server = new URL(testMysqlServerUrl());
  proxy = await tcpProxy({ host: server.hostname, port: Number(server.port || 3306) });
});

afterAll(async () => {
  await proxy?.close();
  await db?.drop();
});

const endpoints = (api: RunningPublicApi) => [
  { name: 'GET /messages', request: () => fetch(`${api.url}/api/public/messages`, bounded()) },
  {
    name: 'GET /messages/:id',
    request: () => fetch(`${api.url}/api/public/messages/0190a1b2-0000-7000-8000-000000000000`, bounded()),
  },
  {
    name: 'POST /messages',
    request: () =>
      fetch(`${api.url}/api/public/messages`, {
        ...bounded(),
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': uniqueClientIp() },
        body: JSON.stringify({ text: 'during an outage' }),
      }),
  },
  // GET /activity and /stats read event-consumer's read API, not MySQL: read-models.int.test.ts covers its outages.
];

/** A request that is abandoned (and the test fails) if it is not answered within the bound. */
const bounded = () => ({ signal: AbortSignal.timeout(ANSWER_BOUND_MS) });

async function expectRetryableProblem(response: Response): Promise<void> {
  expect(response.status).toBe(503);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(await response.json()).toMatchObject({ status: 503, type: 'urn:testbed:problem:unavailable' });
}

describe('when MySQL fails', () => {
  let api: RunningPublicApi;

  beforeAll(async () => {
    api = await startTestApi({ MYSQL_URL: proxiedMysqlUrl(), RATE_LIMIT_PER_MINUTE: '1000', ...TIMEOUT_ENV });
  });

  afterEach(async () => {
    await proxy.forward();
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('when MySQL refuses connections (down), then every DB-backed endpoint answers 503 problem+json with Retry-After, within the bound', async () => {
    await proxy.refuse();
    for (const endpoint of endpoints(api)) {
      await expectRetryableProblem(await endpoint.request());
    }
  });

  it('when MySQL accepts connections but never answers (hung), then every DB-backed endpoint answers 503 with Retry-After, within the bound', async () => {
    // Warm the pool first, so both kinds of hang are met: a pooled connection whose statement gets
    // no answer, and a new connection whose handshake gets none.
    expect((await endpoints(api)[0]!.request()).status).toBe(200);
    await proxy.swallow();
    for (const endpoint of endpoints(api)) {
      await expectRetryableProblem(await endpoint.request());
    }
  });

  it('when MySQL comes back after an outage, then readiness and a real request succeed within 2 s', async () => {
    await proxy.refuse();
    await expectRetryableProblem(await endpoints(api)[0]!.request());
    expect((await api.health.readiness()).checks['mysql']?.status).toBe('down');
    await proxy.forward();
    await waitFor(
      async () => (await api.health.readiness()).checks['mysql']?.status === 'up' && (await fetch(`${api.url}/api/public/messages`)).status === 200,
      { timeoutMs: RESUME_BOUND_MS, intervalMs: 50, what: 'public-api to resume after MySQL returned' },
    );
  });
});

describe('when the MySQL pool is full', () => {
  let api: RunningPublicApi;

  beforeAll(async () => {
    api = await startTestApi({
      MYSQL_URL: proxiedMysqlUrl(),
      RATE_LIMIT_PER_MINUTE: '1000',
      MYSQL_CONNECTION_LIMIT: '1',
      MYSQL_QUEUE_LIMIT: '1',
      ...TIMEOUT_ENV,
    });
  });

  afterAll(async () => {
    await proxy.forward();
    await api?.stop();
  });

  it('when more requests arrive than the pool can hold or queue, then each is a 503 with Retry-After, none a 500, within the bound', async () => {
    await proxy.swallow();
    const responses = await Promise.all(Array.from({ length: 5 }, () => fetch(`${api.url}/api/public/messages`, bounded())));
    for (const response of responses) await expectRetryableProblem(response);
  });
});

describe('when Redis or NATS goes away and comes back', () => {
  let redis: PrivateRedisServer;
  let nats: PrivateNatsServer;
  let api: RunningPublicApi;

  beforeAll(async () => {
    redis = await privateRedisServer();
    nats = await privateNatsServer();
    await Promise.all([redis.start(), nats.start()]);
    api = await startTestApi({ MYSQL_URL: db.url, REDIS_URL: redis.url, NATS_URL: nats.url });
    // Every datastore up; auth-service (for the internal port only) is not started here, so the
    // service as a whole reports itself degraded, not ready.
    await waitFor(
      async () => {
        const { checks } = await api.health.readiness();
        return ['mysql', 'redis', 'nats'].every((name) => checks[name]?.status === 'up');
      },
      { what: 'public-api connected to MySQL, Redis and NATS' },
    );
  });

  afterAll(async () => {
    await api?.stop();
    await redis?.stop();
    await nats?.dispose();
  });

  it('when Redis (the rate limits) is down, then readiness says so; when it returns, readiness recovers within 2 s', async () => {
    await redis.stop();
    await waitFor(async () => (await api.health.readiness()).checks['redis']?.status === 'down', { what: 'redis down' });
    // Long enough for the client's reconnect backoff to grow to its cap.
    await sleep(4_000);
    await redis.start();
    await waitFor(async () => (await api.health.readiness()).checks['redis']?.status === 'up', {
      timeoutMs: RESUME_BOUND_MS,
      intervalMs: 50,
      what: 'readiness to recover after Redis returned',
    });
  });

  it('when NATS is down, then writes still succeed (outbox); when it returns, readiness recovers within 2 s', async () => {
    await nats.stop();
    await waitFor(async () => (await api.health.readiness()).checks['nats']?.status === 'down', { what: 'nats down' });
    const posted = await fetch(`${api.url}/api/public/messages`, {
      ...bounded(),
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': uniqueClientIp() },
      body: JSON.stringify({ text: 'while NATS is away' }),
    });
    expect(posted.status).toBe(201);
    await sleep(4_000);
    await nats.start();
    await waitFor(async () => (await api.health.readiness()).checks['nats']?.status === 'up', {
      timeoutMs: RESUME_BOUND_MS,
      intervalMs: 50,
      what: 'the NATS connection to recover',
    });
  });
});
