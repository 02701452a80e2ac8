import type { Redis } from '@testbed/service-kit';
import type { SessionStateStore } from '../../domain/ports.js';
import { ISSUED_AT_TTL_S, SIGN_IN_TTL_S } from '../session-state-ttl.js';
import { issuedAtKey, signInKey, withSessionScripts, type SessionScripts } from './session-state-scripts.js';

export class RedisSessionStateStore implements SessionStateStore {
  private readonly redis: Redis & SessionScripts;

  constructor(
    redis: Redis,
    private readonly keyPrefix: string,
  ) {
    this.redis = withSessionScripts(redis);
  }

  async recordIssuedAt(uid: string, issuedAt: number): Promise<number> {
    const previous = await this.raise(issuedAtKey(this.keyPrefix, uid), issuedAt, ISSUED_AT_TTL_S);
    return Math.max(previous, issuedAt);
  }

  async isSignInAnnounced(uid: string, authTime: number): Promise<boolean> {
    return authTime <= Number((await this.redis.get(signInKey(this.keyPrefix, uid))) ?? '0');
  }

  async recordSignIn(uid: string, authTime: number): Promise<boolean> {
    return authTime > (await this.raise(signInKey(this.keyPrefix, uid), authTime, SIGN_IN_TTL_S));
  }

  private async raise(key: string, value: number, ttlS: number): Promise<number> {
    return Number(await this.redis.raiseToMax(key, String(value), String(ttlS)));
  }
}
