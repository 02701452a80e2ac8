import type { CloudEvent } from '@testbed/service-kit/events';
import type { VerifiedClaims } from './session.js';

/**
 * Checks a token's signature, issuer, audience and expiry (and, with `checkRevoked`, that it was not
 * revoked and its user is not disabled); throws AppErrors on failure: `unauthenticated` for the
 * token, `unavailable` when the answer did not come within `timeoutMs` (or the adapter's own bound).
 */
export interface TokenVerifier {
  verify(idToken: string, checkRevoked: boolean, options?: { timeoutMs?: number }): Promise<VerifiedClaims>;
}

/** A cache hit together with the user's session state, as one store step brings it back. */
export interface CachedVerification {
  readonly claims: VerifiedClaims;
  /** What `SessionStateStore.recordIssuedAt(claims.uid, claims.issuedAt)` answers; done in the same step. */
  readonly newestIssuedAt: number;
  /** What `SessionStateStore.isSignInAnnounced(claims.uid, claims.authTime)` answers, read in the same step. */
  readonly signInAnnounced: boolean;
}

/**
 * Successful verifications keyed by a hash of the token; the token itself is never stored. A hit
 * also records the token's `iat` and reads whether its sign-in was announced, in one round trip
 * to the store (a cached verification costs one, not three).
 */
export interface VerificationCache {
  lookup(tokenHash: string): Promise<CachedVerification | undefined>;
  set(tokenHash: string, claims: VerifiedClaims, ttlS: number): Promise<void>;
}

/** Per-user facts shared by every replica; each method is one atomic step. */
export interface SessionStateStore {
  /** Records `issuedAt` if it is the newest for the user and returns the newest now recorded. */
  recordIssuedAt(uid: string, issuedAt: number): Promise<number>;
  /** Whether a sign-in at `authTime` (or a later one) was already announced for the user. */
  isSignInAnnounced(uid: string, authTime: number): Promise<boolean>;
  /**
   * Records `authTime` as announced if it is newer than any recorded for the user; true when it was.
   * Called only after the event was published, so a failed publish is retried by a later verification.
   */
  recordSignIn(uid: string, authTime: number): Promise<boolean>;
}

/** Hands an event to the broker; resolves once it is stored there (or rejects within a bounded time). */
export interface EventPublisher {
  publish(event: CloudEvent): Promise<void>;
}

export type CacheResult = 'hit' | 'miss' | 'bypass' | 'error';

/** The counters the use case reports, so the domain stays free of a metrics library. */
export interface VerifyTokenObserver {
  cache(result: CacheResult): void;
}

/** Seconds since the epoch. */
export type Clock = () => number;

export const systemClock: Clock = () => Math.floor(Date.now() / 1000);
