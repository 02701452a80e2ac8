import type { Redis } from '@testbed/service-kit';
import type { CachedVerification, VerificationCache } from '../../domain/ports.js';
import type { VerifiedClaims } from '../../domain/session.js';
import { ISSUED_AT_TTL_S } from '../session-state-ttl.js';
import { withSessionScripts, type SessionScripts } from './session-state-scripts.js';

/**
 * Verified claims as JSON under `<prefix>token:<sha256 of the token>`, expiring with the cache TTL.
 * A lookup is one script (EVALSHA): the entry, and on a hit the user's session state kept by
 * RedisSessionStateStore under the same prefix.
 */
export class RedisVerificationCache implements VerificationCache {
  private readonly redis: Redis & SessionScripts;

  constructor(
    redis: Redis,
    private readonly keyPrefix: string,
  ) {
    this.redis = withSessionScripts(redis);
  }

  async lookup(tokenHash: string): Promise<CachedVerification | undefined> {
    const found = await this.redis.cachedVerification(this.key(tokenHash), this.keyPrefix, String(ISSUED_AT_TTL_S));
    if (found === null) return undefined;
    const [json, newestIssuedAt, announcedAuthTime] = found;
    const claims = JSON.parse(json) as VerifiedClaims;
    return { claims, newestIssuedAt: Number(newestIssuedAt), signInAnnounced: claims.authTime <= Number(announcedAuthTime) };
  }

  async set(tokenHash: string, claims: VerifiedClaims, ttlS: number): Promise<void> {
    if (ttlS <= 0) return;
    await this.redis.set(this.key(tokenHash), JSON.stringify(claims), 'EX', ttlS);
  }

  private key(tokenHash: string): string {
    return `${this.keyPrefix}token:${tokenHash}`;
  }
}
