import { createHash } from 'node:crypto';
import { AppError, type Logger } from '@testbed/service-kit';
import { authLevelFor } from './auth-level.js';
import { cacheTtlSeconds } from './cache-ttl.js';
import { StoreBudget } from './store-budget.js';
import { checkTokenTimes } from './token-times.js';
import type { CachedVerification, Clock, EventPublisher, SessionStateStore, TokenVerifier, VerificationCache, VerifyTokenObserver } from './ports.js';
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
  /**
   * Longest time, in milliseconds, one verification waits on the cache and session state in all
   * (REDIS_BUDGET_MS); further capped at STORE_SHARE_OF_DEADLINE of the caller's remaining deadline.
   */
  readonly storeBudgetMs: number;
  /** Longest wait for the verifier (FIREBASE_VERIFY_TIMEOUT_MS), further capped by the caller's deadline. */
  readonly verifierTimeoutMs: number;
  /** Milliseconds since the epoch, for deadlines; Date.now unless a test moves it. */
  readonly nowMs?: () => number;
}

export interface VerifyTokenOptions {
  /** Bypass the cache and ask Firebase whether the token was revoked or its user disabled. */
  readonly checkRevoked: boolean;
  /** When the caller stops waiting, in milliseconds since the epoch; undefined when it never does. */
  readonly deadlineMs?: number;
}

/**
 * Firebase ID tokens are about 1 KiB: a JWT of a few hundred bytes of header and standard claims,
 * plus the user's custom claims, which Firebase caps at 1000 bytes
 * (https://firebase.google.com/docs/auth/admin/custom-claims). 8 KiB is several times a real token,
 * and refuses megabyte tokens before they are hashed, parsed or logged.
 */
export const MAX_ID_TOKEN_LENGTH = 8 * 1024;

/**
 * At most this share of the caller's remaining deadline goes to the stores, so that after a cache
 * read that timed out there is still time to ask Firebase (and answer) before the caller gives up.
 */
const STORE_SHARE_OF_DEADLINE = 0.25;

/** Time kept back from the caller's deadline for answering (and the network back) once the verifier is done. */
const RESPONSE_MARGIN_MS = 250;

export const hashToken = (idToken: string): string => createHash('sha256').update(idToken).digest('hex');

/**
 * Verifies an ID token (through the cache unless revocation must be checked) and grades the
 * session. The level is computed on every call and never cached: it depends on the clock and on
 * the newest token seen for the user, both of which move.
 *
 * Every wait is budgeted from the caller's deadline: the stores share one StoreBudget, the
 * verifier gets what remains. When the stores are slow or down, the token is verified without
 * them and the level is capped at AUTHORIZED (see authLevelFor).
 */
export class VerifyToken {
  private readonly announcer: SignInAnnouncer;
  private readonly nowMs: () => number;

  constructor(private readonly deps: VerifyTokenDeps) {
    this.announcer = new SignInAnnouncer({ sessionState: deps.sessionState, events: deps.events, logger: deps.logger });
    this.nowMs = deps.nowMs ?? Date.now;
  }

  /** Resolves once the sign-in announcements started so far have finished (tests, shutdown). */
  announcementsSettled(): Promise<void> {
    return this.announcer.settled();
  }

  /**
   * @throws AppError `invalid-argument` (empty or oversized token), `unauthenticated` (invalid,
   *   expired, revoked, disabled, or time claims beyond the allowed skew), `deadline-exceeded` (the
   *   caller's deadline leaves no time to try), `unavailable` (Firebase unreachable or too slow for
   *   the deadline)
   */
  async execute(idToken: string, options: VerifyTokenOptions): Promise<Session> {
    if (idToken.trim() === '') throw new AppError('invalid-argument', 'id token is required');
    if (idToken.length > MAX_ID_TOKEN_LENGTH) {
      throw new AppError('invalid-argument', `id token is longer than ${MAX_ID_TOKEN_LENGTH} characters`);
    }
    const deadlineMs = options.deadlineMs ?? Number.POSITIVE_INFINITY;
    const remainingMs = deadlineMs - this.nowMs();
    const stores = new StoreBudget(Math.min(this.deps.storeBudgetMs, remainingMs * STORE_SHARE_OF_DEADLINE), this.nowMs);
    const tokenHash = hashToken(idToken);
    const cached = options.checkRevoked ? this.bypassCache() : await this.cachedVerification(tokenHash, stores);
    let claims: VerifiedClaims;
    let newestIssuedAt: number | undefined;
    if (cached) {
      // One round trip brought the claims, the newest iat and the sign-in state together.
      ({ claims, newestIssuedAt } = cached);
    } else {
      claims = await this.verify(idToken, options.checkRevoked, deadlineMs);
      newestIssuedAt = await this.rememberAndRecord(tokenHash, claims, stores);
    }
    // In the background: NATS trouble must never slow or fail a verification.
    this.announcer.announce({ uid: claims.uid, authTime: claims.authTime, signInProvider: claims.signInProvider }, { announced: cached?.signInAnnounced });
    return {
      ...claims,
      level: authLevelFor({
        claims,
        now: this.deps.clock(),
        freshAuthWindowS: this.deps.freshAuthWindowS,
        newestIssuedAt,
      }),
    };
  }

  private bypassCache(): undefined {
    this.deps.observer.cache('bypass');
    return undefined;
  }

  private async verify(idToken: string, checkRevoked: boolean, deadlineMs: number): Promise<VerifiedClaims> {
    // A deadline that leaves no time at all is the caller's to know about (DEADLINE_EXCEEDED, as gRPC
    // itself says); nothing was tried. A wait cut short by the deadline while Firebase is slow stays
    // UNAVAILABLE: the dependency is the likelier cause, and the answer is retryable.
    const callerLeftMs = deadlineMs - this.nowMs() - RESPONSE_MARGIN_MS;
    if (callerLeftMs <= 0) throw new AppError('deadline-exceeded', "no time left to verify the token before the caller's deadline");
    const timeoutMs = Math.min(this.deps.verifierTimeoutMs, callerLeftMs);
    const claims = await this.deps.verifier.verify(idToken, checkRevoked, { timeoutMs });
    // Before anything is cached or recorded: a token from the future must not move the records.
    checkTokenTimes(claims, this.deps.clock());
    return claims;
  }

  private async cachedVerification(tokenHash: string, stores: StoreBudget): Promise<CachedVerification | undefined> {
    try {
      const cached = await stores.run(() => this.deps.cache.lookup(tokenHash));
      // The TTL already ends at expiry; this guards against clock skew between replicas and Redis.
      const usable = cached !== undefined && cached.claims.expiresAt > this.deps.clock();
      this.deps.observer.cache(usable ? 'hit' : 'miss');
      return usable ? cached : undefined;
    } catch (error) {
      this.deps.observer.cache('error');
      this.deps.logger.warn({ err: error }, 'verification cache read failed; asking Firebase');
      return undefined;
    }
  }

  /**
   * Caches the verification and records its `iat` together: both commands leave in the same tick,
   * so the Redis client pipelines them into one round trip and one share of the budget.
   */
  private async rememberAndRecord(tokenHash: string, claims: VerifiedClaims, stores: StoreBudget): Promise<number | undefined> {
    const ttlS = cacheTtlSeconds(claims.expiresAt, this.deps.clock());
    const remember = async (): Promise<void> => {
      if (ttlS <= 0) return;
      try {
        await this.deps.cache.set(tokenHash, claims, ttlS);
      } catch (error) {
        this.deps.observer.cache('error');
        this.deps.logger.warn({ err: error }, 'verification cache write failed');
      }
    };
    if (!stores.usable) return this.sessionStateUnavailable(claims, undefined);
    try {
      const [, newest] = await stores.run(() => Promise.all([remember(), this.deps.sessionState.recordIssuedAt(claims.uid, claims.issuedAt)]));
      return newest;
    } catch (error) {
      return this.sessionStateUnavailable(claims, error);
    }
  }

  private sessionStateUnavailable(claims: VerifiedClaims, error: unknown): undefined {
    this.deps.logger.warn({ uid: claims.uid, ...(error === undefined ? {} : { err: error }) }, 'session state unavailable; capping the level at AUTHORIZED');
    return undefined;
  }
}
