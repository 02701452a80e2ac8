import { createHash } from 'node:crypto';
import { AppError, type Logger } from '@testbed/service-kit';
import { authLevelFor } from './auth-level.js';
import { cacheTtlSeconds } from './cache-ttl.js';
import type {
  Clock,
  EventPublisher,
  SessionStateStore,
  TokenVerifier,
  VerificationCache,
  VerifyTokenObserver,
} from './ports.js';
import type { Session, VerifiedClaims } from './session.js';
import { SignInAnnouncer } from './sign-in-announcer.js';

export interface VerifyTokenDeps {
  readonly verifier: TokenVerifier;
  readonly cache: VerificationCache;
  readonly sessionState: SessionStateStore;
  readonly events: EventPublisher;
  readonly observer: VerifyTokenObserver;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly freshAuthWindowS: number;
}

export const hashToken = (idToken: string): string => createHash('sha256').update(idToken).digest('hex');

/**
 * Verifies an ID token (through the cache unless revocation must be checked) and grades the
 * session. The level is computed on every call and never cached: it depends on the clock and on
 * the newest token seen for the user, both of which move.
 */
export class VerifyToken {
  private readonly announcer: SignInAnnouncer;

  constructor(private readonly deps: VerifyTokenDeps) {
    this.announcer = new SignInAnnouncer({ sessionState: deps.sessionState, events: deps.events, logger: deps.logger });
  }

  /** Resolves once the sign-in announcements started so far have finished (tests, shutdown). */
  announcementsSettled(): Promise<void> {
    return this.announcer.settled();
  }

  async execute(idToken: string, options: { checkRevoked: boolean }): Promise<Session> {
    if (idToken.trim() === '') throw new AppError('invalid-argument', 'id token is required');
    const claims = await this.verifiedClaims(idToken, options.checkRevoked);
    const now = this.deps.clock();
    const newestIssuedAt = await this.newestIssuedAt(claims);
    // In the background: NATS trouble must never slow or fail a verification.
    this.announcer.announce({ uid: claims.uid, authTime: claims.authTime, signInProvider: claims.signInProvider });
    return {
      ...claims,
      level: authLevelFor({ claims, now, freshAuthWindowS: this.deps.freshAuthWindowS, newestIssuedAt }),
    };
  }

  private async verifiedClaims(idToken: string, checkRevoked: boolean): Promise<VerifiedClaims> {
    const tokenHash = hashToken(idToken);
    if (checkRevoked) {
      this.deps.observer.cache('bypass');
    } else {
      const cached = await this.cachedClaims(tokenHash);
      if (cached) return cached;
    }
    const claims = await this.deps.verifier.verify(idToken, checkRevoked);
    await this.remember(tokenHash, claims);
    return claims;
  }

  private async cachedClaims(tokenHash: string): Promise<VerifiedClaims | undefined> {
    try {
      const cached = await this.deps.cache.get(tokenHash);
      // The TTL already ends at expiry; this guards against clock skew between replicas and Redis.
      const usable = cached !== undefined && cached.expiresAt > this.deps.clock();
      this.deps.observer.cache(usable ? 'hit' : 'miss');
      return usable ? cached : undefined;
    } catch (error) {
      this.deps.observer.cache('error');
      this.deps.logger.warn({ err: error }, 'verification cache read failed; asking Firebase');
      return undefined;
    }
  }

  private async remember(tokenHash: string, claims: VerifiedClaims): Promise<void> {
    const ttlS = cacheTtlSeconds(claims.expiresAt, this.deps.clock());
    if (ttlS <= 0) return;
    try {
      await this.deps.cache.set(tokenHash, claims, ttlS);
    } catch (error) {
      this.deps.observer.cache('error');
      this.deps.logger.warn({ err: error }, 'verification cache write failed');
    }
  }

  private async newestIssuedAt(claims: VerifiedClaims): Promise<number | undefined> {
    try {
      return await this.deps.sessionState.recordIssuedAt(claims.uid, claims.issuedAt);
    } catch (error) {
      this.deps.logger.warn(
        { uid: claims.uid, err: error },
        'session state unavailable; capping the level at AUTHORIZED',
      );
      return undefined;
    }
  }
}
