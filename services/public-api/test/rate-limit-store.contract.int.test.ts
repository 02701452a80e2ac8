import { waitFor } from '@testbed/service-kit/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRateLimitStore } from '../src/adapters/memory/rate-limit.store.js';
import { RedisRateLimitStore } from '../src/adapters/redis/rate-limit.store.js';
import type { RateLimitStore } from '../src/domain/rate-limit.store.js';
import { TEST_REDIS_URL, uniqueToken } from './helpers.js';

let redis: Redis;

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
});

afterAll(async () => {
  await redis?.quit();
});

const implementations: [string, () => RateLimitStore][] = [
  ['redis', () => new RedisRateLimitStore(redis, `test:${uniqueToken()}:ratelimit:`)],
  ['memory', () => new MemoryRateLimitStore()],
];

describe.each(implementations)('RateLimitStore contract (%s)', (_, makeStore) => {
  it('when one key is hit repeatedly in a window, then the count goes up by one each time', async () => {
    const store = makeStore();
    const counts = [];
    for (let i = 0; i < 5; i++) counts.push((await store.hit('client-a', 60_000)).count);
    expect(counts).toEqual([1, 2, 3, 4, 5]);
  });

  it('when a key is hit, then the window ends within its length', async () => {
    const store = makeStore();
    const { resetInMs } = await store.hit('client-b', 60_000);
    expect(resetInMs).toBeGreaterThan(0);
    expect(resetInMs).toBeLessThanOrEqual(60_000);
  });

  it('when different keys are hit, then each has its own count', async () => {
    const store = makeStore();
    await store.hit('client-c', 60_000);
    await store.hit('client-c', 60_000);
    expect((await store.hit('client-d', 60_000)).count).toBe(1);
  });

  it('when many hits arrive at once, then every hit gets a distinct count', async () => {
    const store = makeStore();
    const hits = await Promise.all(Array.from({ length: 50 }, () => store.hit('client-e', 60_000)));
    expect(hits.map((h) => h.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('when the window has passed, then counting starts again from one', async () => {
    const store = makeStore();
    await store.hit('client-f', 100);
    await store.hit('client-f', 100);
    await waitFor(async () => (await store.hit('client-f', 100)).count === 1, { what: 'the window to reset' });
  });
});

describe('RedisRateLimitStore', () => {
  it('when a counter key lost its expiry, then the next hit gives it one again', async () => {
    const prefix = `test:${uniqueToken()}:ratelimit:`;
    await redis.set(`${prefix}stuck`, '7');
    const hit = await new RedisRateLimitStore(redis, prefix).hit('stuck', 60_000);
    expect(hit.count).toBe(8);
    expect(await redis.pttl(`${prefix}stuck`)).toBeGreaterThan(0);
    await redis.del(`${prefix}stuck`);
  });
});
