/**
 * How long the newest `iat` per user is kept. It must outlive any token that could still be
 * replayed: Firebase ID tokens live one hour, so two hours leaves room for clock skew.
 */
export const ISSUED_AT_TTL_S = 2 * 60 * 60;

/**
 * How long the newest `auth_time` per user is kept. Refreshed tokens keep their `auth_time` for
 * as long as the refresh token lives, so this is long, or one sign-in would be announced twice.
 */
export const SIGN_IN_TTL_S = 30 * 24 * 60 * 60;
