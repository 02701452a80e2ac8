import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import { topologyWithPrefix } from '@testbed/service-kit/events';
import { privateNatsServer, signInUser, signUpUser, storedEvents, waitFor, type EmulatorUser, type PrivateNatsServer } from '@testbed/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAuthService } from '../src/service.js';
import { signInEventId } from '../src/domain/events.js';
import { TEST_REDIS_URL, generatedClient, redisNamespace, startTestService } from './helpers.js';

const topology = topologyWithPrefix(`t_auth_${randomBytes(4).toString('hex')}`);

let nats: PrivateNatsServer;
let service: RunningAuthService;
let client: ReturnType<typeof generatedClient>;
const redis = redisNamespace();

beforeAll(async () => {
  nats = await privateNatsServer();
  await nats.start();
  service = await startTestService(
    { NATS_URL: nats.url, REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: redis.prefix, NATS_PUBLISH_TIMEOUT_MS: '500' },
    { topology },
  );
  client = generatedClient(service);
});

afterAll(async () => {
  client?.close();
  await service?.stop();
  await nats?.dispose();
  await redis.cleanUp();
});

const eventsOf = async (uid: string) => (await storedEvents(nats.url, topology.stream)).filter((e) => e.type === 'testbed.user.signed_in' && e.subject === uid);

/** Verifies `times` times (half of them concurrently) and waits for the background announcements. */
async function verifyMany(user: EmulatorUser, times: number): Promise<void> {
  for (let i = 0; i < times / 2; i++) {
    expect((await client.verifyToken(user.idToken)).session?.uid).toBe(user.uid);
  }
  const sessions = await Promise.all(Array.from({ length: times / 2 }, () => client.verifyToken(user.idToken)));
  expect(sessions.every((s) => s.session?.uid === user.uid)).toBe(true);
  await service.announcementsSettled();
}

const authTimeOf = (token: string): number => (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { auth_time: number }).auth_time;

describe('testbed.user.signed_in on JetStream', () => {
  it('when one sign-in is verified many times, then the stream holds exactly one event for it, with its deterministic id', async () => {
    const user = await signUpUser();
    await verifyMany(user, 10);

    const events = await eventsOf(user.uid);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      id: signInEventId(user.uid, authTimeOf(user.idToken)),
      source: '/auth-service',
      data: { uid: user.uid, method: 'password' },
    });
  });

  it('when the user signs in again, then the new sign-in is one more event', async () => {
    const user = await signUpUser();
    await verifyMany(user, 4);
    // auth_time has one-second resolution; the new sign-in must land in a later second.
    await sleep(1_100);
    const again = await signInUser(user.email, user.password);
    await verifyMany(again, 4);
    await verifyMany(user, 2);

    const events = await eventsOf(user.uid);
    expect(events.map((e) => e.id).sort()).toEqual(
      [signInEventId(user.uid, authTimeOf(user.idToken)), signInEventId(user.uid, authTimeOf(again.idToken))].sort(),
    );
  });

  it('when NATS is down, then verifications still succeed, and once it is back the sign-in is announced exactly once', async () => {
    const before = await signUpUser();
    await verifyMany(before, 2);
    await nats.stop();
    try {
      const during = await signUpUser();
      // Every verification answers while the announcement keeps failing within its timeout.
      await verifyMany(during, 6);
      await verifyMany(before, 2);
      await nats.start();
      // Verifications after the restart retry the announcement until the client has reconnected.
      await waitFor(
        async () => {
          await verifyMany(during, 2);
          return (await eventsOf(during.uid)).length > 0;
        },
        { timeoutMs: 20_000, what: 'the sign-in made during the outage to be announced' },
      );
      await verifyMany(during, 6);

      expect(await eventsOf(during.uid)).toHaveLength(1);
      expect(await eventsOf(before.uid)).toHaveLength(1);
    } finally {
      await nats.start();
    }
  });

  it('when NATS comes back with an empty store, then the stream is created again and the sign-in is announced once', async () => {
    await nats.stop();
    await nats.wipeStore();
    await nats.start();
    const user = await signUpUser();
    await waitFor(
      async () => {
        await verifyMany(user, 2);
        return (await storedEvents(nats.url, topology.stream).catch(() => [])).some((e) => e.subject === user.uid);
      },
      { timeoutMs: 20_000, what: 'the sign-in announced into a stream created again' },
    );
    await verifyMany(user, 4);

    expect(await eventsOf(user.uid)).toHaveLength(1);
  });
});
