import type { Redis } from '@testbed/service-kit';
import type { RateLimitStore, WindowHit } from '../../domain/rate-limit.store.js';

// INCR and the expiry in one script: two round trips could leave a counter without a TTL (a
// client locked out forever) if the process died between them. PTTL < 0 also repairs such a key.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

/** Counters in Redis, so every replica spends from the same budget. */
export class RedisRateLimitStore implements RateLimitStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async hit(key: string, windowMs: number): Promise<WindowHit> {
    // The script is a few hundred bytes; sending it with each EVAL keeps the client setup-free.
    const [count, ttl] = (await this.redis.eval(HIT_SCRIPT, 1, `${this.keyPrefix}${key}`, windowMs)) as [number, number];
    return { count, resetInMs: ttl };
  }
}
