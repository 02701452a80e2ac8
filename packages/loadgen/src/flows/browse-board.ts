import { requestJson } from '../http.js';
import type { PublicApiComponents } from '@testbed/contracts/http/types';
import { expectThat, type Flow } from './flow.js';

type Schemas = PublicApiComponents['schemas'];

/** The board page: the newest messages, the activity feed and the counters; sometimes the next page. */
export const browseBoard: Flow = {
  name: 'browse-board',
  async run({ baseUrl, timeoutMs, random }) {
    const [messages] = await Promise.all([
      requestJson<Schemas['MessagePage']>(`${baseUrl}/api/public/messages?limit=20`, { timeoutMs }),
      requestJson<Schemas['ActivityPage']>(`${baseUrl}/api/public/activity?limit=20`, { timeoutMs }),
      requestJson<Schemas['Stats']>(`${baseUrl}/api/public/stats`, { timeoutMs }),
    ]);
    expectThat(Array.isArray(messages.items), 'GET /api/public/messages: no items array');
    if (messages.nextCursor && random() < 0.5) {
      await requestJson<Schemas['MessagePage']>(`${baseUrl}/api/public/messages?limit=20&cursor=${encodeURIComponent(messages.nextCursor)}`, { timeoutMs });
    }
  },
};
