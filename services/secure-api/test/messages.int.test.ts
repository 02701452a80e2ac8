import { setTimeout as sleep } from 'node:timers/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { SecureApiComponents } from '@testbed/contracts/http/types';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { parseCloudEvent, topologyWithPrefix, type CloudEvent } from '@testbed/service-kit/events';
import { createTestDatabase, freePort, signInUser, signUpUser, waitFor, type EmulatorUser, type TestDatabase } from '@testbed/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSecureApiConfig } from '../src/config.js';
import { startService, type RunningSecureApi } from '../src/service.js';
import { startAuthService, startPublicApi, type Neighbour, type PublicApiNeighbour } from './support/services.js';

const NATS_URL = process.env['TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';
const PROBLEM_JSON = /^application\/problem\+json/;
const WRITES_PER_MINUTE = 5;
const topology = topologyWithPrefix(`t_secure_${randomBytes(4).toString('hex')}`);

let db: TestDatabase;
let authService: Neighbour;
let publicApi: PublicApiNeighbour;
let api: RunningSecureApi;
let base: string;
let nc: NatsConnection;
let jsm: JetStreamManager;

async function startApi(env: Record<string, string>): Promise<RunningSecureApi> {
  const config = loadSecureApiConfig({ PORT: '0', NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
  return startService(config, { topology });
}

beforeAll(async () => {
  db = await createTestDatabase('secure_api_messages');
  authService = await startAuthService();
  publicApi = await startPublicApi(authService, { RATE_LIMIT_PER_MINUTE: String(WRITES_PER_MINUTE) });
  api = await startApi({
    AUTH_GRPC_ADDR: authService.address,
    PUBLIC_API_URL: publicApi.internalAddress,
    MYSQL_URL: db.url,
    NATS_URL,
  });
  base = `http://127.0.0.1:${api.port}/api/secure`;
  nc = await connect({ servers: NATS_URL });
  jsm = await jetstreamManager(nc);
});

afterAll(async () => {
  await api?.stop();
  await Promise.all([authService?.stop(), publicApi?.stop()]);
  if (jsm) {
    for (const stream of [topology.stream, topology.dlqStream]) await jsm.streams.delete(stream).catch(() => false);
  }
  await nc?.close();
  await db?.drop();
});

const bearer = (user: EmulatorUser) => ({ authorization: `Bearer ${user.idToken}` });

function call(path: string, user: EmulatorUser | undefined, init: { method?: string; body?: unknown } = {}) {
  return fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(user ? bearer(user) : {}),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
  });
}

async function expectProblem(response: Response, status: number): Promise<Record<string, unknown>> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
  return (await response.json()) as Record<string, unknown>;
}

type Message = SecureApiComponents['schemas']['SignedInMessage'];
type ActivityPage = SecureApiComponents['schemas']['ActivityPage'];

/** Every event of the test's stream, in stream order. */
async function streamEvents(): Promise<CloudEvent[]> {
  const info = await jsm.streams.info(topology.stream);
  const events: CloudEvent[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const message = await jsm.streams.getMessage(topology.stream, { seq }).catch(() => null);
    if (message) events.push(parseCloudEvent(message.data));
  }
  return events;
}

describe('POST /api/secure/messages', () => {
  it("when a signed-in user posts, then public-api stores the message with the caller's uid and profile name", async () => {
    const user = await signUpUser({ displayName: 'Ada Lovelace' });
    const response = await call('/messages', user, { method: 'POST', body: { text: '  from the secure side  ' } });
    expect(response.status).toBe(201);
    const message = (await response.json()) as Message;
    expect(message).toMatchObject({ text: 'from the secure side', author: { uid: user.uid, displayName: 'Ada Lovelace' } });
    const location = response.headers.get('location');
    expect(location).toBe(`/api/public/messages/${message.id}`);
    const stored = await fetch(`${publicApi.address}${location ?? ''}`);
    expect(await stored.json()).toMatchObject({ id: message.id, author: { uid: user.uid } });
  });

  it('when the user renamed their profile, then the next post carries the new name', async () => {
    const user = await signUpUser();
    const renamed = await call('/me', user, { method: 'PUT', body: { displayName: 'Grace H.', bio: '' } });
    expect(renamed.status).toBe(200);
    const response = await call('/messages', user, { method: 'POST', body: { text: 'renamed' } });
    expect(((await response.json()) as Message).author).toEqual({ uid: user.uid, displayName: 'Grace H.' });
  });

  it('when the body is malformed, then it is a 400 problem and nothing reaches the board', async () => {
    const user = await signUpUser();
    for (const body of [{}, { text: '   ' }, { text: 'x'.repeat(281) }, { text: 'x', author: 'me' }, { text: 5 }]) {
      await expectProblem(await call('/messages', user, { method: 'POST', body }), 400);
    }
    await expectProblem(await call('/messages', user, { method: 'POST', body: '{"text":' }), 400);
    const mine = (await (await call('/me/activity', user)).json()) as ActivityPage;
    expect(mine.items).toEqual([]);
  });

  it('when there is no token, then 401 and nothing is posted', async () => {
    await expectProblem(await call('/messages', undefined, { method: 'POST', body: { text: 'anonymous?' } }), 401);
  });

  it("when one author writes more than public-api's limit, then public-api's 429 is passed on with Retry-After", async () => {
    const user = await signUpUser();
    for (let i = 0; i < WRITES_PER_MINUTE; i++) {
      expect((await call('/messages', user, { method: 'POST', body: { text: `n${i}` } })).status).toBe(201);
    }
    const limited = await call('/messages', user, { method: 'POST', body: { text: 'one too many' } });
    const problem = await expectProblem(limited, 429);
    expect(problem).toMatchObject({ status: 429, title: 'Too Many Requests', type: 'urn:testbed:problem:resource-exhausted' });
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited.headers.get('ratelimit')).toMatch(/"writes";r=0;/);
    // The budget is per author: somebody else still writes.
    expect((await call('/messages', await signUpUser(), { method: 'POST', body: { text: 'me too' } })).status).toBe(201);
  });
});

describe('GET /api/secure/me/activity', () => {
  it("when two users post, then each sees only their own activity, newest first, paged with public-api's cursor", async () => {
    const [me, other] = await Promise.all([signUpUser({ displayName: 'Me' }), signUpUser({ displayName: 'Other' })]);
    for (const text of ['one', 'two', 'three']) {
      expect((await call('/messages', me, { method: 'POST', body: { text } })).status).toBe(201);
    }
    expect((await call('/messages', other, { method: 'POST', body: { text: 'not yours' } })).status).toBe(201);
    // event-consumer (in memory, beside public-api) builds the feed asynchronously from the event log.
    await waitFor(async () => ((await (await call('/me/activity', me)).json()) as ActivityPage).items.length === 3);

    const first = (await (await call('/me/activity?limit=2', me)).json()) as ActivityPage;
    expect(first.items.map((i) => i.summary)).toEqual(['Me posted "three"', 'Me posted "two"']);
    expect(first.items.every((i) => i.actorUid === me.uid)).toBe(true);
    const next = await call(`/me/activity?limit=2&cursor=${encodeURIComponent(first.nextCursor ?? '')}`, me);
    expect(await next.json()).toEqual({
      items: [expect.objectContaining({ summary: 'Me posted "one"', actorUid: me.uid })],
      nextCursor: null,
    });
  });

  it("when the query is malformed, then it is a 400 problem (public-api's for values, ours for unknown keys)", async () => {
    const user = await signUpUser();
    for (const query of ['limit=0', 'limit=abc', 'cursor=nope', 'actorUid=someone-else', 'limit=1&limit=2']) {
      const problem = await expectProblem(await call(`/me/activity?${query}`, user), 400);
      expect(problem['type']).toBe('urn:testbed:problem:invalid-argument');
    }
  });
});

describe('when public-api is down or slow', () => {
  let degraded: RunningSecureApi;
  let hanging: Server;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    // A port that accepts connections and never answers: only the client's timeout ends the wait.
    hanging = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await degraded?.stop();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => hanging?.close(resolve));
  });

  it.each([
    ['nothing listens on its port', async () => `http://127.0.0.1:${await freePort()}`],
    ['it never answers', () => Promise.resolve(`http://127.0.0.1:${(hanging.address() as { port: number }).port}`)],
  ])('when %s, then both routes answer 503 with Retry-After, never 500, and profiles still work', async (_, url) => {
    await degraded?.stop();
    degraded = await startApi({ AUTH_GRPC_ADDR: authService.address, PUBLIC_API_URL: await url(), PUBLIC_API_TIMEOUT_MS: '300' });
    const user = await signUpUser();
    const at = `http://127.0.0.1:${degraded.port}/api/secure`;
    const headers = { ...bearer(user), 'content-type': 'application/json' };
    const posted = await fetch(`${at}/messages`, { method: 'POST', headers, body: JSON.stringify({ text: 'hello?' }) });
    await expectProblem(posted, 503);
    expect(posted.headers.get('retry-after')).toMatch(/^\d+$/);
    await expectProblem(await fetch(`${at}/me/activity`, { headers }), 503);
    expect((await fetch(`${at}/me`, { headers })).status).toBe(200);
    expect((await degraded.health.readiness()).checks['public-api']?.status).not.toBe('up');
  });
});

describe('PUT /api/secure/me announces testbed.profile.updated through the outbox', () => {
  it('when a profile is saved, then exactly one event per save reaches JetStream, with the new name', async () => {
    const user = await signUpUser();
    for (const displayName of ['First name', 'Second name']) {
      expect((await call('/me', user, { method: 'PUT', body: { displayName, bio: 'private bio' } })).status).toBe(200);
    }
    await waitFor(async () => (await api.pendingEvents()) === 0, { what: 'the outbox to drain' });
    const mine = (await streamEvents()).filter((e) => e.type === 'testbed.profile.updated' && e.subject === user.uid);
    expect(mine.map((e) => e.data)).toEqual([
      { uid: user.uid, displayName: 'First name' },
      { uid: user.uid, displayName: 'Second name' },
    ]);
    expect(mine[0]).toMatchObject({ source: '/secure-api', specversion: '1.0' });
    expect(JSON.stringify(mine)).not.toContain('private bio');
  });

  it('when a PUT is refused (validation or step-up), then no event is written', async () => {
    const user = await signUpUser();
    await expectProblem(await call('/me', user, { method: 'PUT', body: { displayName: '', bio: '' } }), 400);
    // A second sign-in leaves the first token stale: AUTHORIZED only, so PUT needs a step-up.
    await sleep(1_100);
    const fresh = await signInUser(user.email, user.password);
    expect((await call('/me', fresh)).status).toBe(200);
    await expectProblem(await call('/me', user, { method: 'PUT', body: { displayName: 'Stale', bio: '' } }), 401);
    await waitFor(async () => (await api.pendingEvents()) === 0, { what: 'the outbox to drain' });
    expect((await streamEvents()).filter((e) => e.subject === user.uid)).toEqual([]);
  });
});
