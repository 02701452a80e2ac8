import { requestJson } from '../http.js';
import { expectThat, type Flow } from './flow.js';

/** The profile page: the user's profile and their own activity. */
export const viewProfile: Flow = {
  name: 'view-profile',
  async run({ baseUrl, timeoutMs, user }) {
    const [profile] = await Promise.all([
      user.withToken((token) => requestJson<{ uid?: unknown; email?: unknown }>(`${baseUrl}/api/secure/me`, { token, timeoutMs })),
      user.withToken((token) => requestJson<unknown>(`${baseUrl}/api/secure/me/activity`, { token, timeoutMs })),
    ]);
    expectThat(profile.email === user.email, "GET /api/secure/me: the profile is not this user's");
  },
};
