import { randomBytes } from 'node:crypto';
import { topologyWithPrefix } from '@testbed/service-kit/events';
import {
  createTestDatabase,
  privateNatsServer,
  signUpUser,
  storedEvents,
  waitFor,
  type EmulatorUser,
  type PrivateNatsServer,
  type TestDatabase,
} from '@testbed/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSecureApiConfig } from '../src/config.js';
import { startService, type RunningSecureApi } from '../src/service.js';
import { startAuthService, type Neighbour } from './support/services.js';

const USERS = 12;
const topology = topologyWithPrefix(`t_profile_${randomBytes(4).toString('hex')}`);

// A database of its own: another secure-api's relay on the same outbox would publish these rows elsewhere.
let db: TestDatabase;
let nats: PrivateNatsServer;
let authService: Neighbour;
let api: RunningSecureApi;

beforeAll(async () => {
  [db, nats, authService] = await Promise.all([createTestDatabase('secure_api_profile_events'), privateNatsServer(), startAuthService()]);
  // NATS is down from the start: the service must start and take writes anyway.
  const config = loadSecureApiConfig({
    PORT: '0',
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    AUTH_GRPC_ADDR: authService.address,
    MYSQL_URL: db.url,
    NATS_URL: nats.url,
  });
  api = await startService(config, { topology });
});

afterAll(async () => {
  await api?.stop();
  await authService?.stop();
  await nats?.dispose();
  await db?.drop();
});

const put = (user: EmulatorUser, displayName: string) =>
  fetch(`http://127.0.0.1:${api.port}/api/secure/me`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${user.idToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ displayName, bio: '' }),
  });

describe('profile.updated while NATS is down', () => {
  it('when profiles are saved during the outage, then every save succeeds and each event arrives exactly once after NATS is back', async () => {
    const users = await Promise.all(Array.from({ length: USERS }, () => signUpUser()));
    const statuses = await Promise.all(users.map((user, i) => put(user, `Name ${i}`)));
    expect(statuses.map((r) => r.status)).toEqual(users.map(() => 200));

    await nats.start();
    await waitFor(async () => (await storedEvents(nats.url, topology.stream)).length >= USERS && (await api.pendingEvents()) === 0, {
      timeoutMs: 30_000,
      what: 'the outbox to drain into the restarted NATS',
    });

    const events = (await storedEvents(nats.url, topology.stream)).filter((e) => e.type === 'testbed.profile.updated');
    expect(events).toHaveLength(USERS);
    expect(new Set(events.map((e) => e.id)).size).toBe(USERS);
    expect(new Set(events.map((e) => e.subject))).toEqual(new Set(users.map((u) => u.uid)));
    for (const [i, user] of users.entries()) {
      expect(events.find((e) => e.subject === user.uid)?.data).toEqual({ uid: user.uid, displayName: `Name ${i}` });
    }
  });
});
