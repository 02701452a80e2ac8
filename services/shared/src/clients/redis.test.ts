import { describe, expect, it } from 'vitest';
import { redisReconnectDelayMs } from './redis.js';

describe('redisReconnectDelayMs', () => {
  it('when Redis stays away for many attempts, then the pause between attempts never exceeds 500 ms, so it is back within 2 s of returning', () => {
    for (let attempt = 1; attempt <= 1_000; attempt++) {
      const delay = redisReconnectDelayMs(attempt);
      expect(delay).toBeGreaterThan(0);
      expect(delay).toBeLessThanOrEqual(500);
    }
  });
});
