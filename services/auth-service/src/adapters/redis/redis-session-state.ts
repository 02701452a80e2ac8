import type { Redis } from '@testbed/service-kit';
import type { SessionStateStore } from '../../domain/ports.js';
import { ISSUED_AT_TTL_S, SIGN_IN_TTL_S } from '../session-state-ttl.js';

// Stores max(current, ARGV[1]) with a fresh TTL and returns the previous value (0 when none).
// One script, so two replicas seeing two tokens at once cannot both win.
const RAISE_TO_MAX = `
local previous = tonumber(redis.call('GET', KEYS[1]) or '0')
local candidate = tonumber(ARGV[1])
if candidate > previous then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
else
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
return previous
`;

export class RedisSessionStateStore implements SessionStateStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async recordIssuedAt(uid: string, issuedAt: number): Promise<number> {
    const previous = await this.raise(`${this.keyPrefix}iat:${uid}`, issuedAt, ISSUED_AT_TTL_S);
    return Math.max(previous, issuedAt);
  }

  async isSignInAnnounced(uid: string, authTime: number): Promise<boolean> {
    return authTime <= Number((await this.redis.get(`${this.keyPrefix}signin:${uid}`)) ?? '0');
  }

  async recordSignIn(uid: string, authTime: number): Promise<boolean> {
    return authTime > (await this.raise(`${this.keyPrefix}signin:${uid}`, authTime, SIGN_IN_TTL_S));
  }

  private async raise(key: string, value: number, ttlS: number): Promise<number> {
    // Plain EVAL keeps the typing simple; Redis caches the compiled script, and it is a few bytes.
    const previous = await this.redis.eval(RAISE_TO_MAX, 1, key, String(value), String(ttlS));
    return Number(previous);
  }
}
