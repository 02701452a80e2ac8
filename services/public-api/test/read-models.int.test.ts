import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort, waitFor } from '@testbed/service-kit/testing';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { RunningPublicApi } from '../src/service.js';
import { postJson, startTestApi, testReadModels, uniqueClientIp } from './helpers.js';

// The activity feed and the stats belong to event-consumer; public-api serves them by calling its
// read API (READ_MODELS_URL). These tests cover that call: the owner answering, gone, slow or failing.

const READ_PATHS = ['/api/public/activity', '/api/public/stats'] as const;

async function expectRetryableProblem(response: Response): Promise<void> {
  expect(response.status).toBe(503);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(await response.json()).toMatchObject({ status: 503, type: 'urn:testbed:problem:unavailable' });
}

/** A stand-in for event-consumer that answers every request with `answer` (or never, when null). */
async function fakeOwner(answer: { status: number; body?: unknown; headers?: Record<string, string> } | null): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    if (!answer) return; // hangs: the client's timeout must end it
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(JSON.stringify(answer.body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('when event-consumer answers', () => {
  let api: RunningPublicApi;

  afterAll(async () => {
    await api?.stop();
  });

  it('when a message is posted, then the feed and stats read from event-consumer show it, in the public contract', async () => {
    api = await startTestApi({});
    const response = await postJson(api, '/api/public/messages', { text: 'through the owner', author: 'Owen' }, { ip: uniqueClientIp() });
    expect(response.status).toBe(201);
    await waitFor(
      async () => {
        const feed = (await (await fetch(`${api.url}/api/public/activity?limit=5`)).json()) as { items: { summary: string }[] };
        return feed.items.some((item) => item.summary === 'Owen posted "through the owner"');
      },
      { what: 'the post in the feed' },
    );
    const page = (await (await fetch(`${api.url}/api/public/activity?limit=1`)).json()) as Record<string, unknown>;
    expect(Object.keys(page).sort()).toEqual(['items', 'nextCursor']);
    const stats = (await (await fetch(`${api.url}/api/public/stats`)).json()) as Record<string, unknown>;
    expect(Object.keys(stats).sort()).toEqual(['messages', 'signIns', 'updatedAt', 'users']);
    expect(stats['messages']).toBeGreaterThanOrEqual(1);
    expect((await api.health.readiness()).checks['read-models']?.status).toBe('up');
  });

  it('when the cursor is not one the feed issued, then it is the same 400 problem naming query.cursor', async () => {
    api ??= await startTestApi({});
    const response = await fetch(`${api.url}/api/public/activity?cursor=not-a-cursor`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ status: 400, errors: [{ path: 'query.cursor' }] });
  });

  it('when the feed is paged, then the next cursor event-consumer issued leads to the next page', async () => {
    api ??= await startTestApi({});
    const ip = uniqueClientIp();
    for (const text of ['page one', 'page two', 'page three']) expect((await postJson(api, '/api/public/messages', { text }, { ip })).status).toBe(201);
    await waitFor(async () => ((await (await fetch(`${api.url}/api/public/activity?limit=3`)).json()) as { items: unknown[] }).items.length >= 3);
    const first = (await (await fetch(`${api.url}/api/public/activity?limit=2`)).json()) as { items: { id: string }[]; nextCursor: string | null };
    expect(first.nextCursor).not.toBeNull();
    const second = (await (await fetch(`${api.url}/api/public/activity?limit=2&cursor=${first.nextCursor}`)).json()) as { items: { id: string }[] };
    expect(second.items.length).toBeGreaterThan(0);
    expect(second.items.map((i) => i.id)).not.toContain(first.items[0]?.id);
  });
});

describe('when event-consumer cannot answer', () => {
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function apiReadingFrom(url: string, timeoutMs = 2_000): Promise<RunningPublicApi> {
    const api = await startTestApi({ READ_MODELS_URL: url, READ_MODELS_TIMEOUT_MS: String(timeoutMs) });
    cleanups.push(() => api.stop());
    return api;
  }

  it('when it is not running, then the feed and stats are 503 problem+json with Retry-After, never 500, and readiness is degraded, not failing', async () => {
    const api = await apiReadingFrom(`http://127.0.0.1:${await freePort()}`);
    for (const path of READ_PATHS) await expectRetryableProblem(await fetch(`${api.url}${path}`));
    const readiness = await api.health.readiness();
    expect(readiness.checks['read-models']?.status).toBe('down');
    expect(readiness.status).toBe('degraded');
    // Messages are public-api's own: they keep being served.
    expect((await fetch(`${api.url}/api/public/messages`)).status).toBe(200);
  });

  it('when it never answers, then the read is a 503 with Retry-After after the timeout', async () => {
    const owner = await fakeOwner(null);
    cleanups.push(() => new Promise((resolve) => owner.server.close(() => resolve()).closeAllConnections()));
    const api = await apiReadingFrom(owner.url, 300);
    const started = performance.now();
    for (const path of READ_PATHS) await expectRetryableProblem(await fetch(`${api.url}${path}`));
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it.each([500, 502, 503])('when it answers %i, then the read is a 503 with Retry-After, not a 500', async (status) => {
    const owner = await fakeOwner({ status, body: { status, detail: 'broken' } });
    cleanups.push(() => new Promise((resolve) => owner.server.close(() => resolve())));
    const api = await apiReadingFrom(owner.url);
    for (const path of READ_PATHS) await expectRetryableProblem(await fetch(`${api.url}${path}`));
  });

  it('when it comes back, then the feed is served again', async () => {
    const owner = await testReadModels();
    const api = await apiReadingFrom(owner.address);
    expect((await fetch(`${api.url}/api/public/activity`)).status).toBe(200);
  });
});
