import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, freePort, privateRedisServer, startServiceProcess, waitFor, waitForUrl, type TestDatabase } from '@testbed/service-kit/testing';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPublicApi } from '../src/service.js';
import { TEST_REDIS_URL, postJson, startTestApi, uniqueClientIp } from './helpers.js';

interface MessageBody {
  id: string;
  text: string;
  author: { uid: string | null; displayName: string };
  createdAt: string;
}

describe('messages over HTTP (MySQL and Redis)', () => {
  let db: TestDatabase;
  let api: RunningPublicApi;

  beforeAll(async () => {
    db = await createTestDatabase('public_api_http');
    api = await startTestApi({ MYSQL_URL: db.url, REDIS_URL: TEST_REDIS_URL });
  });

  afterAll(async () => {
    await api?.stop();
    await db?.drop();
  });

  it('when a message is posted, then it is a 201 with a Location that reads it back', async () => {
    const body = { text: '  hello  ', author: ' Ann ' };
    const response = await postJson(api, '/api/public/messages', body, { ip: uniqueClientIp() });
    expect(response.status).toBe(201);
    const created = (await response.json()) as MessageBody;
    expect(created).toMatchObject({ text: 'hello', author: { uid: null, displayName: 'Ann' } });
    expect(response.headers.get('location')).toBe(`/api/public/messages/${created.id}`);

    const read = await fetch(`${api.url}${response.headers.get('location')}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(created);
  });

  it('when a message is posted without an author, then the author is "anonymous"', async () => {
    const response = await postJson(api, '/api/public/messages', { text: 'who am I' }, { ip: uniqueClientIp() });
    expect(((await response.json()) as MessageBody).author).toEqual({ uid: null, displayName: 'anonymous' });
  });

  it('when a message is posted, then its message.posted event is in the outbox, in the same database', async () => {
    const response = await postJson(api, '/api/public/messages', { text: 'event please' }, { ip: uniqueClientIp() });
    const { id } = (await response.json()) as MessageBody;
    const connection = await createConnection(db.url);
    try {
      const [rows] = await connection.query<RowDataPacket[]>("SELECT payload FROM outbox WHERE event_type = 'testbed.message.posted'");
      const events = rows.map((row) => JSON.parse(String(row['payload'])) as { subject: string; data: { messageId: string } });
      expect(events.filter((event) => event.data.messageId === id && event.subject === id)).toHaveLength(1);
    } finally {
      await connection.end();
    }
  });

  it('when the health endpoints are asked, then liveness is ok and readiness reports MySQL and Redis up', async () => {
    expect(await (await fetch(`${api.url}/api/public/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${api.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${api.url}/readyz`);
    expect(ready.status).toBe(200);
    const report = (await ready.json()) as { status: string; checks: Record<string, { status: string }> };
    // No auth-service in this file: only the internal routes need it, so the pod is degraded, not unready.
    expect(report.status).toBe('degraded');
    expect(report.checks['mysql']?.status).toBe('up');
    expect(report.checks['redis']?.status).toBe('up');
    expect(report.checks['auth-service']?.status).toBe('down');
  });

  it('when metrics are scraped, then request durations are labelled by route pattern', async () => {
    await fetch(`${api.url}/api/public/messages?limit=1`);
    const text = await (await fetch(`${api.url}/metrics`)).text();
    expect(text).toContain('route="/api/public/messages"');
    expect(text).toMatch(/http_rate_limit_decisions_total\{[^}]*outcome="allowed"[^}]*\} [1-9]/);
  });
});

describe('embedded mode (no MYSQL_URL, REDIS_URL or NATS_URL)', () => {
  it('when a message is posted, then the feed and stats (event-consumer in memory, following its events) show it', async () => {
    const api = await startTestApi({});
    try {
      const body = { text: 'hello memory', author: 'Bea' };
      const response = await postJson(api, '/api/public/messages', body, { ip: uniqueClientIp() });
      expect(response.status).toBe(201);
      const { id } = (await response.json()) as MessageBody;

      await waitFor(
        async () => {
          const response = await fetch(`${api.url}/api/public/activity`);
          const feed = (await response.json()) as { items: { type: string; summary: string }[] };
          return feed.items.some((item) => item.type === 'testbed.message.posted' && item.summary.includes('memory'));
        },
        { what: 'the post in the activity feed' },
      );
      const statsResponse = await fetch(`${api.url}/api/public/stats`);
      const stats = (await statsResponse.json()) as { messages: number; updatedAt: string | null };
      expect(stats.messages).toBe(1);
      expect(stats.updatedAt).not.toBeNull();
      expect((await fetch(`${api.url}/api/public/messages/${id}`)).status).toBe(200);
    } finally {
      await api.stop();
    }
  });
});

describe('rate limit and X-Forwarded-For', () => {
  it('when 40 writes come within a minute, each with a made-up X-Forwarded-For, then the 31st is a 429', async () => {
    // The default TRUSTED_PROXY_HOPS (0): a service reached directly believes no forwarding header.
    const api = await startTestApi({ REDIS_URL: TEST_REDIS_URL, TRUSTED_PROXY_HOPS: undefined });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 40; i += 1) {
        const response = await postJson(api, '/api/public/messages', { text: `spoof ${i}` }, { ip: uniqueClientIp() });
        statuses.push(response.status);
      }
      expect(statuses.slice(0, 30)).toEqual(Array(30).fill(201));
      expect(statuses.slice(30)).toEqual(Array(10).fill(429));
    } finally {
      await api.stop();
    }
  });
});

describe('rate limit when Redis is down', () => {
  it('when the rate-limit store is unreachable, then writes are allowed (fail open)', async () => {
    const redis = await privateRedisServer();
    await redis.start();
    const api = await startTestApi({ REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: '1' });
    try {
      const ip = uniqueClientIp();
      expect((await postJson(api, '/api/public/messages', { text: 'first' }, { ip })).status).toBe(201);
      expect((await postJson(api, '/api/public/messages', { text: 'second' }, { ip })).status).toBe(429);

      await redis.stop();
      const response = await postJson(api, '/api/public/messages', { text: 'while redis is down' }, { ip });
      expect(response.status).toBe(201);
      expect(response.headers.get('ratelimit')).toBeNull();
      const ready = (await (await fetch(`${api.url}/readyz`)).json()) as { status: string };
      expect(ready.status).toBe('degraded');
    } finally {
      await api.stop();
      await redis.stop();
    }
  });
});

describe('the real entry point', () => {
  it('when started with MYSQL_URL, then it migrates, serves, and exits 0 on SIGTERM', { timeout: 60_000 }, async () => {
    const db = await createTestDatabase('public_api_main');
    const port = await freePort();
    const service = startServiceProcess(fileURLToPath(new URL('..', import.meta.url)), {
      PORT: String(port),
      // Not the default 8091, which a `pnpm dev` on this machine may hold.
      INTERNAL_PORT: String(await freePort()),
      MYSQL_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      LOG_LEVEL: 'warn',
    });
    try {
      await waitForUrl(`http://127.0.0.1:${port}/readyz`, { timeoutMs: 30_000, what: 'readiness' }).catch((error: unknown) => {
        throw new Error(`${String(error)}\n${service.output()}`);
      });
      const response = await fetch(`http://127.0.0.1:${port}/api/public/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': uniqueClientIp() },
        body: JSON.stringify({ text: 'from the real process' }),
      });
      expect(response.status).toBe(201);
      expect(await service.stop('SIGTERM')).toBe(0);
    } finally {
      await service.stop('SIGKILL');
      await db.drop();
    }
  });
  it('when its port is taken, then it says why it could not start and exits 1', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, resolve));
    const { port } = taken.address() as AddressInfo;
    const service = startServiceProcess(fileURLToPath(new URL('..', import.meta.url)), {
      PORT: String(port),
      MYSQL_URL: '',
      REDIS_URL: '',
      NATS_URL: '',
      LOG_LEVEL: 'warn',
    });
    try {
      expect(await service.exited).toBe(1);
      expect(service.output()).toContain('public-api failed to start');
      expect(service.output()).toContain('EADDRINUSE');
    } finally {
      await service.stop('SIGKILL');
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
