import { AppError } from '@testbed/service-kit';
import type { VerifiedClaims } from './session.js';

/**
 * Seconds a token's time claims may lie ahead of our clock. Firebase's rules for ID tokens say `iat`
 * and `auth_time` "must be in the past"
 * (https://firebase.google.com/docs/auth/admin/verify-id-tokens#verify_id_tokens_using_a_third-party_jwt_library),
 * and firebase-admin checks `exp` and `nbf` with no leeway at all (jsonwebtoken's `clockTolerance`
 * defaults to 0), so our hosts are already assumed to agree with Google's clock. RFC 7519 §4.1.4
 * allows "some small leeway"; OpenID Connect Core §3.1.3.7 (10) lets a client reject an `iat` "too
 * far away from the current time". Five seconds covers NTP-synced hosts and whole-second rounding,
 * and stays far below the 30 s that would let a token raise the newest sign-in on record.
 */
export const ALLOWED_CLOCK_SKEW_S = 5;

/** Firebase ID tokens are minted valid for one hour (`exp` = `iat` + 3600). */
export const MAX_ID_TOKEN_LIFETIME_S = 60 * 60;

/**
 * Refuses a verified token whose time claims cannot come from a correct issuer: `iat` or
 * `auth_time` more than ALLOWED_CLOCK_SKEW_S ahead of `now`, or an `exp` further from `iat` than an
 * ID token lives. (`nbf` and a past `exp` are already refused by firebase-admin.) Such a token would
 * otherwise be graded fresh for a day and would raise the per-user records, so it is rejected before
 * it is cached or recorded.
 *
 * @param now seconds since the epoch
 * @throws AppError `unauthenticated` naming the claim
 */
export function checkTokenTimes(claims: Pick<VerifiedClaims, 'issuedAt' | 'authTime' | 'expiresAt'>, now: number): void {
  const latest = now + ALLOWED_CLOCK_SKEW_S;
  if (claims.issuedAt > latest) throw new AppError('unauthenticated', 'invalid token: iat is in the future');
  if (claims.authTime > latest) throw new AppError('unauthenticated', 'invalid token: auth_time is in the future');
  if (claims.expiresAt - claims.issuedAt > MAX_ID_TOKEN_LIFETIME_S + ALLOWED_CLOCK_SKEW_S) {
    throw new AppError('unauthenticated', 'invalid token: exp is too far after iat');
  }
}
