import { describe, expect, it } from 'vitest';
import { cacheTtlSeconds, MAX_CACHE_TTL_S } from './cache-ttl.js';

describe('cacheTtlSeconds', () => {
  const now = 1_700_000_000;

  it('when the token lives longer than the cap, then the TTL is the cap', () => {
    expect(cacheTtlSeconds(now + 3_600, now)).toBe(MAX_CACHE_TTL_S);
  });

  it('when the token expires before the cap, then the TTL ends at its expiry', () => {
    expect(cacheTtlSeconds(now + 42, now)).toBe(42);
  });

  it('when the token expires within the next second, then it is not cached', () => {
    expect(cacheTtlSeconds(now + 0.5, now)).toBe(0);
  });

  it('when the token has already expired, then it is not cached', () => {
    expect(cacheTtlSeconds(now - 10, now)).toBe(0);
  });

  it('when a smaller cap is given, then it applies', () => {
    expect(cacheTtlSeconds(now + 3_600, now, 60)).toBe(60);
  });
});
