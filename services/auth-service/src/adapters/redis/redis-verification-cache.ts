import type { Redis } from '@testbed/service-kit';
import type { VerificationCache } from '../../domain/ports.js';
import type { VerifiedClaims } from '../../domain/session.js';

/** Verified claims as JSON under `<prefix>token:<sha256 of the token>`, expiring with the cache TTL. */
export class RedisVerificationCache implements VerificationCache {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async get(tokenHash: string): Promise<VerifiedClaims | undefined> {
    const json = await this.redis.get(this.key(tokenHash));
    return json === null ? undefined : (JSON.parse(json) as VerifiedClaims);
  }

  async set(tokenHash: string, claims: VerifiedClaims, ttlS: number): Promise<void> {
    if (ttlS <= 0) return;
    await this.redis.set(this.key(tokenHash), JSON.stringify(claims), 'EX', ttlS);
  }

  private key(tokenHash: string): string {
    return `${this.keyPrefix}token:${tokenHash}`;
  }
}
