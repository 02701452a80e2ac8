import { randomUUID } from 'node:crypto';
import { createTestDatabase, waitFor, type TestDatabase } from '@testbed/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPublicApi } from '../src/start-public-api.js';
import { TEST_REDIS_URL, postJson, startTestApi, uniqueClientIp } from './helpers.js';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface ActivityItem {
  actorUid: string | null;
  summary: string;
}

const author = (displayName = 'Grace') => ({ uid: `uid-${randomUUID()}`, displayName });

const activityOf = async (api: RunningPublicApi, query: string) =>
  fetch(`${api.url}/internal/activity?${query}`);

describe.each([
  ['embedded', false],
  ['MySQL and Redis', true],
] as const)('internal routes for secure-api (%s)', (_, real) => {
  let api: RunningPublicApi;
  let db: TestDatabase | undefined;

  beforeAll(async () => {
    db = real ? await createTestDatabase('public_api_internal') : undefined;
    api = await startTestApi({
      RATE_LIMIT_PER_MINUTE: '3',
      ...(db ? { MYSQL_URL: db.url, REDIS_URL: TEST_REDIS_URL } : {}),
    });
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('when secure-api posts for a signed-in author, then the message carries their uid and profile name', async () => {
    const who = author('A fifty-character profile name is accepted here...');
    const response = await postJson(api, '/internal/messages', { text: ' signed in ', author: who });
    expect(response.status).toBe(201);
    const message = (await response.json()) as { id: string; text: string; author: unknown };
    expect(message).toMatchObject({ text: 'signed in', author: who });
    expect(response.headers.get('location')).toBe(`/api/public/messages/${message.id}`);
    const read = await fetch(`${api.url}/api/public/messages/${message.id}`);
    expect(await read.json()).toMatchObject({ author: who });
  });

  it('when the body is malformed, then it is a 400 problem and nothing is posted', async () => {
    for (const body of [
      { text: 'x' },
      { text: 'x', author: { uid: '', displayName: 'a' } },
      { text: 'x', author: { uid: 'u', displayName: ' ' } },
      { text: 'x', author: { uid: 'u', displayName: 'a', extra: 1 } },
      { text: 'x'.repeat(281), author: author() },
      { text: 'x', author: author(), more: true },
    ]) {
      const response = await postJson(api, '/internal/messages', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });

  it('when one author goes over the write limit, then they get a 429 whatever the address, and others do not', async () => {
    const busy = author();
    for (let i = 0; i < 3; i++) {
      const ok = await postJson(api, '/internal/messages', { text: `n${i}`, author: busy }, { ip: uniqueClientIp() });
      expect(ok.status).toBe(201);
    }
    const limited = await postJson(api, '/internal/messages', { text: 'one more', author: busy }, { ip: uniqueClientIp() });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await postJson(api, '/internal/messages', { text: 'other', author: author() })).status).toBe(201);
  });

  // The MySQL feed is written by event-consumer; its actor filter is covered by the ActivityStore contract.
  if (!real) it("when a user's activity is asked for, then only their entries come back, newest first and paged", async () => {
    const me = author('Me');
    for (const text of ['first', 'second', 'third']) {
      expect((await postJson(api, '/internal/messages', { text, author: me })).status).toBe(201);
    }
    expect((await postJson(api, '/internal/messages', { text: 'not mine', author: author() })).status).toBe(201);
    await waitFor(async () => {
      const page = (await (await activityOf(api, `actorUid=${me.uid}`)).json()) as Page<ActivityItem>;
      return page.items.length === 3;
    });
    const first = (await (await activityOf(api, `actorUid=${me.uid}&limit=2`)).json()) as Page<ActivityItem>;
    expect(first.items.map((i) => i.summary)).toEqual(['Me posted "third"', 'Me posted "second"']);
    expect(first.items.every((i) => i.actorUid === me.uid)).toBe(true);
    const cursor = encodeURIComponent(first.nextCursor ?? '');
    const second = (await (await activityOf(api, `actorUid=${me.uid}&limit=2&cursor=${cursor}`)).json()) as Page<ActivityItem>;
    expect(second).toEqual({ items: [expect.objectContaining({ summary: 'Me posted "first"' })], nextCursor: null });
  });

  it('when the activity query is malformed, then it is a 400 problem', async () => {
    for (const query of ['', 'actorUid=', 'actorUid=u&limit=0', 'actorUid=u&cursor=nope', 'actorUid=u&x=1']) {
      const response = await activityOf(api, query);
      expect(response.status, query).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });

  it('when the internal routes are asked for under the public prefix, then they do not exist', async () => {
    expect((await postJson(api, '/api/public/internal/messages', { text: 'x', author: author() })).status).toBe(404);
    expect((await fetch(`${api.url}/api/public/internal/activity?actorUid=u`)).status).toBe(404);
  });
});
