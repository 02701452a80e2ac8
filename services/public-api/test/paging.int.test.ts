import { createTestDatabase, type TestDatabase } from '@testbed/service-kit/testing';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningPublicApi } from '../src/service.js';
import { postJson, startTestApi, uniqueClientIp } from './helpers.js';

interface MessagePage {
  items: { id: string; text: string; createdAt: string }[];
  nextCursor: string | null;
}

const databases: TestDatabase[] = [];

afterAll(async () => {
  await Promise.all(databases.map((db) => db.drop()));
});

const modes: [string, () => Promise<Record<string, string>>][] = [
  [
    'MySQL',
    async () => {
      const db = await createTestDatabase('public_api_paging');
      databases.push(db);
      return { MYSQL_URL: db.url };
    },
  ],
  ['in-memory', () => Promise.resolve({})],
];

describe.each(modes)('paging messages (%s)', (_, environment) => {
  it('when 45 messages are paged by 20, then pages hold 20, 20 and 5, newest first, no duplicate or gap', async () => {
    const api: RunningPublicApi = await startTestApi({ ...(await environment()), RATE_LIMIT_PER_MINUTE: '1000' });
    try {
      const ip = uniqueClientIp();
      const posted: string[] = [];
      for (let i = 0; i < 45; i++) {
        const response = await postJson(api, '/api/public/messages', { text: `message ${i}` }, { ip });
        expect(response.status).toBe(201);
        posted.push(((await response.json()) as { id: string }).id);
      }

      const pages: MessagePage[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `?limit=20&cursor=${cursor}` : '?limit=20';
        const response = await fetch(`${api.url}/api/public/messages${query}`);
        expect(response.status).toBe(200);
        const page = (await response.json()) as MessagePage;
        pages.push(page);
        cursor = page.nextCursor;
      } while (cursor !== null && pages.length < 10);

      expect(pages.map((p) => p.items.length)).toEqual([20, 20, 5]);
      const seen = pages.flatMap((p) => p.items);
      // Posted one after another, so newest first is exactly the reverse of posting order.
      expect(seen.map((m) => m.id)).toEqual([...posted].reverse());
      const times = seen.map((m) => Date.parse(m.createdAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    } finally {
      await api.stop();
    }
  });
});
