import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { MemorySessionStateStore } from '../src/adapters/memory/memory-session-state.js';
import { MemoryVerificationCache } from '../src/adapters/memory/memory-verification-cache.js';
import { RedisSessionStateStore } from '../src/adapters/redis/redis-session-state.js';
import { RedisVerificationCache } from '../src/adapters/redis/redis-verification-cache.js';
import { sessionStateContract } from './contracts/session-state.contract.js';
import { verificationCacheContract } from './contracts/verification-cache.contract.js';
import { redisNamespace, TEST_REDIS_URL } from './helpers.js';

const redis = new Redis(TEST_REDIS_URL);
const namespace = redisNamespace();

afterAll(async () => {
  redis.disconnect();
  await namespace.cleanUp();
});

verificationCacheContract('in memory', () => {
  const sessionState = new MemorySessionStateStore();
  return { cache: new MemoryVerificationCache(sessionState), sessionState };
});
verificationCacheContract('Redis', () => ({
  cache: new RedisVerificationCache(redis, namespace.prefix),
  sessionState: new RedisSessionStateStore(redis, namespace.prefix),
}));
sessionStateContract('in memory', () => new MemorySessionStateStore());
sessionStateContract('Redis', () => new RedisSessionStateStore(redis, namespace.prefix));
