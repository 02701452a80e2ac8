import type { AuthLevel, VerifiedClaims } from './session.js';

export interface AuthLevelInput {
  readonly claims: Pick<VerifiedClaims, 'authTime' | 'issuedAt'>;
  /** Seconds since the epoch. */
  readonly now: number;
  readonly freshAuthWindowS: number;
  /**
   * The newest `iat` recorded for the user, this token included; undefined when the session
   * state store could not be asked.
   */
  readonly newestIssuedAt: number | undefined;
}

/**
 * A valid token is AUTHORIZED. It is AUTHENTICATED only when the user entered credentials within
 * the window AND no newer token has been seen for them: a token captured before a later sign-in
 * cannot be replayed for sensitive actions, even while its `auth_time` is still fresh.
 */
export function authLevelFor(input: AuthLevelInput): AuthLevel {
  const { claims, now, freshAuthWindowS, newestIssuedAt } = input;
  // Without the store we cannot tell a replayed older token from the newest one, so the safe
  // answer is the lower level: callers then ask for a re-authentication instead of trusting it.
  if (newestIssuedAt === undefined) return 'AUTH_LEVEL_AUTHORIZED';
  const fresh = now - claims.authTime <= freshAuthWindowS;
  const newest = claims.issuedAt >= newestIssuedAt;
  return fresh && newest ? 'AUTH_LEVEL_AUTHENTICATED' : 'AUTH_LEVEL_AUTHORIZED';
}
