import { createEvent, statsKeys, type CloudEvent } from '@testbed/service-kit/events';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStatsReader } from '../src/adapters/memory/stats.reader.js';
import { RedisStatsReader } from '../src/adapters/redis/stats.reader.js';
import type { StatsReader } from '../src/domain/stats.js';
import { TEST_REDIS_URL, uniqueToken } from './helpers.js';

/** One implementation under test; `count` applies events the way event-consumer's stats consumer would. */
interface Subject {
  readonly reader: StatsReader;
  count(events: readonly CloudEvent[]): Promise<void>;
}

let redis: Redis;

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
});

afterAll(async () => {
  await redis?.quit();
});

const implementations: [string, () => Promise<Subject>][] = [
  [
    'redis',
    () => {
      const prefix = `test:${uniqueToken()}:stats`;
      const keys = statsKeys(prefix);
      return Promise.resolve({
        reader: new RedisStatsReader(redis, prefix),
        count: async (events) => {
          for (const event of events) {
            const update = redis.multi();
            if (event.type === 'testbed.message.posted') update.incr(keys.messages);
            if (event.type === 'testbed.user.signed_in') {
              update.incr(keys.signIns).sadd(keys.users, (event.data as { uid: string }).uid);
            }
            // As event-consumer's stats consumer: only counted events, and only a newer time, move updatedAt.
            if (event.type !== 'testbed.profile.updated') {
              const time = new Date(event.time).toISOString();
              const current = await redis.get(keys.updatedAt);
              if (!current || current < time) update.set(keys.updatedAt, time);
            }
            // Short-lived: these keys exist only for this test.
            for (const key of [keys.messages, keys.signIns, keys.users, keys.updatedAt]) update.expire(key, 60);
            await update.exec();
          }
        },
      });
    },
  ],
  [
    'memory',
    () => {
      const reader = new MemoryStatsReader();
      return Promise.resolve({
        reader,
        count: async (events) => {
          for (const event of events) await reader.apply(event);
        },
      });
    },
  ],
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
    const { reader } = await makeSubject();
    expect(await reader.read()).toEqual({ messages: 0, users: 0, signIns: 0, updatedAt: null });
  });

  it('when messages and sign-ins were counted, then users counts each uid once', async () => {
    const subject = await makeSubject();
    const events = [posted(), signedIn('alice'), posted(), signedIn('bob'), signedIn('alice')];
    await subject.count(events);
    const stats = await subject.reader.read();
    expect(stats).toMatchObject({ messages: 2, users: 2, signIns: 3 });
    expect(stats.updatedAt).toBe(events.at(-1)?.time);
  });

  it('when events arrive out of order or are not counted, then updatedAt is the time of the newest counted event', async () => {
    const subject = await makeSubject();
    const at = (event: CloudEvent, time: string) => ({ ...event, time }) as CloudEvent;
    await subject.count([
      at(signedIn('carol'), '2026-05-02T10:00:00.000Z'),
      at(posted(), '2026-05-01T10:00:00.000Z'),
      at(createEvent({ type: 'testbed.profile.updated', source: '/test', data: { uid: 'carol', displayName: 'C' } }), '2026-06-01T00:00:00.000Z'),
    ]);
    expect((await subject.reader.read()).updatedAt).toBe('2026-05-02T10:00:00.000Z');
  });
});

describe('RedisStatsReader when Redis is away', () => {
  it('when Redis cannot answer, then reading is an unavailable error, not a crash', async () => {
    const offline = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    try {
      await expect(new RedisStatsReader(offline).read()).rejects.toMatchObject({ kind: 'unavailable' });
    } finally {
      offline.disconnect();
    }
  });
});
