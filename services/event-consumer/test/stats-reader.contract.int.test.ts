import { randomBytes } from 'node:crypto';
import { createEvent, type CloudEvent, type DeliveryContext } from '@testbed/service-kit/events';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStatsStore } from '../src/adapters/memory/stats.store.js';
import { RedisStatsStore } from '../src/adapters/redis/stats.store.js';
import { STATS_CONSUMER, statsHandler } from '../src/consumers/stats.consumer.js';
import type { StatsReader } from '../src/domain/stats.js';
import { REDIS_URL } from './support/stream-fixture.js';

/** One implementation under test; `count` applies events through the stats consumer. */
interface Subject {
  readonly reader: StatsReader;
  count(events: readonly CloudEvent[]): Promise<void>;
}

let redis: Redis;
const prefixes: string[] = [];

beforeAll(() => {
  redis = new Redis(REDIS_URL);
});

afterAll(async () => {
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  await redis?.quit();
});

const delivery: DeliveryContext = { deliveryCount: 1 };

const counting = (reader: StatsReader & Parameters<typeof statsHandler>[0]): Subject => {
  const handle = statsHandler(reader);
  return {
    reader,
    count: async (events) => {
      for (const event of events) await handle(event, delivery);
    },
  };
};

const implementations: [string, () => Subject][] = [
  [
    'redis',
    () => {
      const prefix = `test:${randomBytes(4).toString('hex')}:stats`;
      prefixes.push(prefix);
      return counting(new RedisStatsStore(redis, { prefix, consumer: STATS_CONSUMER, appliedTtlS: 60 }));
    },
  ],
  ['memory', () => counting(new MemoryStatsStore())],
];

const posted = () =>
  createEvent({
    type: 'testbed.message.posted',
    source: '/test',
    data: { messageId: 'm', text: 't', author: { uid: null, displayName: 'a' }, createdAt: new Date().toISOString() },
  });
const signedIn = (uid: string) => createEvent({ type: 'testbed.user.signed_in', source: '/test', data: { uid } });

describe.each(implementations)('StatsReader contract (%s)', (_, makeSubject) => {
  it('when nothing was counted yet, then every counter is zero and updatedAt is null', async () => {
    const { reader } = makeSubject();
    expect(await reader.read()).toEqual({ messages: 0, users: 0, signIns: 0, updatedAt: null });
  });

  it('when messages and sign-ins were counted, then users counts each uid once', async () => {
    const subject = makeSubject();
    const events = [posted(), signedIn('alice'), posted(), signedIn('bob'), signedIn('alice')];
    await subject.count(events);
    const stats = await subject.reader.read();
    expect(stats).toMatchObject({ messages: 2, users: 2, signIns: 3 });
    expect(stats.updatedAt).toBe(events.at(-1)?.time);
  });

  it('when the same event is delivered twice, then it is counted once', async () => {
    const subject = makeSubject();
    const event = signedIn('dave');
    await subject.count([event, event]);
    expect(await subject.reader.read()).toMatchObject({ messages: 0, users: 1, signIns: 1 });
  });

  it('when events arrive out of order or are not counted, then updatedAt is the time of the newest counted event', async () => {
    const subject = makeSubject();
    const at = (event: CloudEvent, time: string) => ({ ...event, time }) as CloudEvent;
    await subject.count([
      at(signedIn('carol'), '2026-05-02T10:00:00.000Z'),
      at(posted(), '2026-05-01T10:00:00.000Z'),
      at(createEvent({ type: 'testbed.profile.updated', source: '/test', data: { uid: 'carol', displayName: 'C' } }), '2026-06-01T00:00:00.000Z'),
    ]);
    expect((await subject.reader.read()).updatedAt).toBe('2026-05-02T10:00:00.000Z');
  });
});

describe('RedisStatsStore when Redis is away', () => {
  it('when Redis cannot answer, then reading is an unavailable error, not a crash', async () => {
    const offline = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    try {
      await expect(new RedisStatsStore(offline, { prefix: 'test:offline:stats', consumer: STATS_CONSUMER, appliedTtlS: 60 }).read()).rejects.toMatchObject({
        kind: 'unavailable',
      });
    } finally {
      offline.disconnect();
    }
  });
});
