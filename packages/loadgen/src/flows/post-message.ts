import { randomBytes } from 'node:crypto';
import { requestJson } from '../http.js';
import { expectThat, type Flow } from './flow.js';

/** A signed-in user posts to the board (secure-api, rate-limited per author, not per address). */
export const postMessage: Flow = {
  name: 'post-message',
  async run({ baseUrl, timeoutMs, user }) {
    const text = `loadgen ${randomBytes(4).toString('hex')}: hello from a virtual user`;
    const posted = await user.withToken((token) =>
      requestJson<{ id?: unknown; text?: unknown }>(`${baseUrl}/api/secure/messages`, { method: 'POST', body: { text }, token, timeoutMs }),
    );
    expectThat(posted.text === text && typeof posted.id === 'string', 'POST /api/secure/messages: the answer is not the posted message');
  },
};
