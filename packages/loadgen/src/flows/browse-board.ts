import { requestJson } from '../http.js';
import { expectThat, type Flow } from './flow.js';

interface Page {
  readonly items: readonly unknown[];
  readonly nextCursor: string | null;
}

/** The board page: the newest messages, the activity feed and the counters; sometimes the next page. */
export const browseBoard: Flow = {
  name: 'browse-board',
  async run({ baseUrl, timeoutMs, random }) {
    const [messages] = await Promise.all([
      requestJson<Page>(`${baseUrl}/api/public/messages?limit=20`, { timeoutMs }),
      requestJson<Page>(`${baseUrl}/api/public/activity?limit=20`, { timeoutMs }),
      requestJson<unknown>(`${baseUrl}/api/public/stats`, { timeoutMs }),
    ]);
    expectThat(Array.isArray(messages.items), 'GET /api/public/messages: no items array');
    if (messages.nextCursor && random() < 0.5) {
      await requestJson<Page>(`${baseUrl}/api/public/messages?limit=20&cursor=${encodeURIComponent(messages.nextCursor)}`, { timeoutMs });
    }
  },
};
