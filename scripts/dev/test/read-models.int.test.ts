// The read models of `pnpm dev` without servers: every event type, from every producing process,
// reaches the feed and the stats, with the fields production gives them.
import { randomBytes } from 'node:crypto';
import { signUpUser, waitFor } from '@testbed/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../stack.js';

interface Activity {
  type: string;
  actorUid: string | null;
  summary: string;
  occurredAt: string;
}
interface Stats {
  messages: number;
  users: number;
  signIns: number;
  updatedAt: string | null;
}

describe('pnpm dev in memory: read models', { timeout: 90_000 }, () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ spa: 'placeholder', adapters: 'memory', ports: 'free' });
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const get = async <T>(path: string): Promise<T> => (await (await fetch(`${stack.url}${path}`)).json()) as T;
  const send = (path: string, method: string, body: unknown, token?: string) =>
    fetch(`${stack.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  it('when a user signs in, renames and posts, and someone posts anonymously, then the stats and the feed show every event as production does', async () => {
    const tag = randomBytes(3).toString('hex');
    const user = await signUpUser();
    // The first verified request announces the sign-in (auth-service), then the profile exists.
    expect((await fetch(`${stack.url}/api/secure/me`, { headers: { authorization: `Bearer ${user.idToken}` } })).status).toBe(200);
    expect((await send('/api/secure/me', 'PUT', { displayName: `Renamed ${tag}`, bio: '' }, user.idToken)).status, stack.output()).toBe(200);
    expect((await send('/api/secure/messages', 'POST', { text: `signed ${tag}` }, user.idToken)).status).toBe(201);
    expect((await send('/api/public/messages', 'POST', { text: `anonymous ${tag}`, author: 'anon' })).status).toBe(201);

    await waitFor(async () => (await get<{ items: Activity[] }>('/api/public/activity?limit=50')).items.length === 4, {
      what: 'four feed entries',
    });
    const { items } = await get<{ items: Activity[] }>('/api/public/activity?limit=50');
    expect(
      items
        .map(({ type, actorUid, summary }) => ({ type, actorUid, summary }))
        .sort((a, b) => a.type.localeCompare(b.type) || (a.summary < b.summary ? 1 : -1)),
    ).toEqual([
      { type: 'testbed.message.posted', actorUid: null, summary: `anon posted "anonymous ${tag}"` },
      { type: 'testbed.message.posted', actorUid: user.uid, summary: `Renamed ${tag} posted "signed ${tag}"` },
      { type: 'testbed.profile.updated', actorUid: user.uid, summary: `Renamed ${tag} updated their profile` },
      { type: 'testbed.user.signed_in', actorUid: user.uid, summary: 'A user signed in' },
    ]);

    const stats = await get<Stats>('/api/public/stats');
    // updatedAt is the time of the newest counted event (not profile updates, which stats do not count).
    const counted = items
      .filter((item) => item.type !== 'testbed.profile.updated')
      .map((item) => item.occurredAt)
      .sort();
    expect(stats).toEqual({ messages: 2, users: 1, signIns: 1, updatedAt: counted.at(-1) });
  });
});
