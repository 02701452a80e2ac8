import { request as httpRequest } from 'node:http';
import {
  createTestDatabase,
  freePort,
  signUpUser,
  startAuthServiceProcess,
  waitFor,
  type AuthServiceProcess,
  type EmulatorUser,
  type TestDatabase,
} from '@testbed/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPublicApi } from '../src/service.js';
import { TEST_REDIS_URL, startTestApi, uniqueClientIp } from './helpers.js';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface ActivityItem {
  actorUid: string | null;
  summary: string;
}

const PROBLEM_JSON = /^application\/problem\+json/;

let authService: AuthServiceProcess;

beforeAll(async () => {
  authService = await startAuthServiceProcess();
});

afterAll(async () => {
  await authService?.stop();
});

const bearer = (user: EmulatorUser) => ({ authorization: `Bearer ${user.idToken}` });

/** POST /internal/messages on the internal port, as secure-api sends it. */
function post(api: RunningPublicApi, body: unknown, headers: Record<string, string> = {}, base = api.internalUrl) {
  return fetch(`${base}/internal/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

const activityOf = (api: RunningPublicApi, user: EmulatorUser, query = '') => fetch(`${api.internalUrl}/internal/activity?${query}`, { headers: bearer(user) });

async function expectProblem(response: Response, status: number): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
}

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
      INTERNAL_PORT: '0',
      AUTH_GRPC_ADDR: authService.address,
      ...(db ? { MYSQL_URL: db.url, REDIS_URL: TEST_REDIS_URL } : {}),
    });
  });

  afterAll(async () => {
    await api?.stop();
    await db?.drop();
  });

  it("when a signed-in user's token comes with the post, then the message carries the uid the token proves", async () => {
    const user = await signUpUser();
    const displayName = 'A fifty-character profile name is accepted here...';
    const response = await post(api, { text: ' signed in ', author: { displayName } }, bearer(user));
    expect(response.status).toBe(201);
    const message = (await response.json()) as { id: string; text: string; author: unknown };
    expect(message).toMatchObject({ text: 'signed in', author: { uid: user.uid, displayName } });
    expect(response.headers.get('location')).toBe(`/api/public/messages/${message.id}`);
    const read = await fetch(`${api.url}/api/public/messages/${message.id}`);
    expect(await read.json()).toMatchObject({ author: { uid: user.uid, displayName } });
  });

  it('when the body names an author uid, then it is a 400 problem: the uid comes only from the token', async () => {
    const [user, victim] = await Promise.all([signUpUser(), signUpUser()]);
    const response = await post(api, { text: 'as someone else', author: { uid: victim.uid, displayName: 'V' } }, bearer(user));
    await expectProblem(response, 400);
  });

  it('when the body is malformed, then it is a 400 problem and nothing is posted', async () => {
    const user = await signUpUser();
    for (const body of [
      { text: 'x' },
      { text: 'x', author: { displayName: ' ' } },
      { text: 'x', author: { displayName: 'a', extra: 1 } },
      { text: 'x'.repeat(281), author: { displayName: 'a' } },
      { text: 'x', author: { displayName: 'a' }, more: true },
    ]) {
      const response = await post(api, body, bearer(user));
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
    }
  });

  it.each([
    ['there is no Authorization header', {}],
    ['the token is not one auth-service accepts', { authorization: 'Bearer not.a.jwt' }],
    ['the header is not a bearer token', { authorization: 'Basic dXNlcjpwdw==' }],
  ])('when %s, then 401 problem+json with an invalid_token challenge and nothing is posted', async (_case, headers) => {
    const response = await post(api, { text: 'who am I?', author: { displayName: 'Mallory' } }, headers);
    await expectProblem(response, 401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="testbed", error="invalid_token"/);
    await expectProblem(await fetch(`${api.internalUrl}/internal/activity`, { headers }), 401);
  });

  it('when the request carries two Authorization headers, then 400 invalid_request, whichever comes first', async () => {
    const [user, other] = await Promise.all([signUpUser(), signUpUser()]);
    for (const tokens of [
      [user.idToken, 'garbage'],
      ['garbage', user.idToken],
      [user.idToken, other.idToken],
    ]) {
      const status = await new Promise<number>((resolve, reject) => {
        const url = new URL(`${api.internalUrl}/internal/activity`);
        const headers = ['host', url.host, ...tokens.flatMap((token) => ['authorization', `Bearer ${token}`])];
        httpRequest(url, { headers }, (res) => {
          res.resume();
          expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
          expect(res.headers['www-authenticate']).toMatch(/error="invalid_request"/);
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
      expect(status).toBe(400);
    }
  });

  it('when one author goes over the write limit, then they get a 429 whatever the address, and others do not', async () => {
    const [busy, other] = await Promise.all([signUpUser(), signUpUser()]);
    for (let i = 0; i < 3; i++) {
      const ok = await post(api, { text: `n${i}`, author: { displayName: 'B' } }, { ...bearer(busy), 'x-forwarded-for': uniqueClientIp() });
      expect(ok.status).toBe(201);
    }
    const limited = await post(api, { text: 'one more', author: { displayName: 'B' } }, { ...bearer(busy), 'x-forwarded-for': uniqueClientIp() });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await post(api, { text: 'other', author: { displayName: 'O' } }, bearer(other))).status).toBe(201);
  });

  // The MySQL feed is written by event-consumer; its actor filter is covered by the ActivityStore contract.
  if (!real)
    it("when a user's activity is asked for, then only the token's user's entries come back, newest first and paged", async () => {
      const [me, other] = await Promise.all([signUpUser(), signUpUser()]);
      for (const text of ['first', 'second', 'third']) {
        expect((await post(api, { text, author: { displayName: 'Me' } }, bearer(me))).status).toBe(201);
      }
      expect((await post(api, { text: 'not mine', author: { displayName: 'Other' } }, bearer(other))).status).toBe(201);
      await waitFor(async () => ((await (await activityOf(api, me)).json()) as Page<ActivityItem>).items.length === 3);
      const first = (await (await activityOf(api, me, 'limit=2')).json()) as Page<ActivityItem>;
      expect(first.items.map((i) => i.summary)).toEqual(['Me posted "third"', 'Me posted "second"']);
      expect(first.items.every((i) => i.actorUid === me.uid)).toBe(true);
      const cursor = encodeURIComponent(first.nextCursor ?? '');
      const second = (await (await activityOf(api, me, `limit=2&cursor=${cursor}`)).json()) as Page<ActivityItem>;
      expect(second).toEqual({ items: [expect.objectContaining({ summary: 'Me posted "first"' })], nextCursor: null });
    });

  it('when the activity query is malformed or names someone else, then it is a 400 problem', async () => {
    const user = await signUpUser();
    for (const query of ['limit=0', 'cursor=nope', 'x=1', `actorUid=${user.uid}`]) {
      const response = await activityOf(api, user, query);
      expect(response.status, query).toBe(400);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
    }
  });

  it('when the internal routes are asked for on the public port, then they do not exist there', async () => {
    const user = await signUpUser();
    const body = { text: 'through the front door', author: { displayName: 'X' } };
    await expectProblem(await post(api, body, bearer(user), api.url), 404);
    await expectProblem(await fetch(`${api.url}/internal/activity`, { headers: bearer(user) }), 404);
    await expectProblem(await post(api, body, bearer(user), `${api.url}/api/public`), 404);
  });
});

describe('when auth-service cannot be reached', () => {
  let api: RunningPublicApi;

  beforeAll(async () => {
    api = await startTestApi({ INTERNAL_PORT: '0', AUTH_GRPC_ADDR: `127.0.0.1:${await freePort()}` });
  });

  afterAll(() => api?.stop());

  it('when a signed-in write comes in, then 503 with Retry-After, never 401, and the public API still serves', async () => {
    const user = await signUpUser();
    const response = await post(api, { text: 'hello?', author: { displayName: 'U' } }, bearer(user));
    await expectProblem(response, 503);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(response.headers.get('www-authenticate')).toBeNull();
    expect((await fetch(`${api.url}/api/public/messages`)).status).toBe(200);
    const ready = await api.health.readiness();
    expect(ready.checks['auth-service']?.status).toBe('down');
  });
});
