import type { AuthLevel as ProtoAuthLevel, Session as SessionMessage } from '@testbed/protos/auth/v1';

/**
 * How much a request's token proves: any valid token is AUTHORIZED; a fresh, newest sign-in is
 * AUTHENTICATED. Derived from the `auth.v1.AuthLevel` enum, the only spelling of the levels: its
 * value names without the `AUTH_LEVEL_` prefix buf's lint asks for, which is what the HTTP APIs show
 * (`authLevel` of `GET /api/secure/me`).
 */
export type AuthLevel = Exclude<ProtoAuthLevel, 'UNRECOGNIZED'> extends `AUTH_LEVEL_${infer Name}` ? Exclude<Name, 'UNSPECIFIED'> : never;

/**
 * A verified caller, as auth-service vouched for it: the `auth.v1.Session` message (the one
 * definition of its fields; times are seconds since the Unix epoch) with the level as the HTTP APIs
 * spell it.
 */
export interface VerifiedSession extends Readonly<Omit<SessionMessage, 'level'>> {
  readonly level: AuthLevel;
  /**
   * auth-service's fresh sign-in window in seconds, the one `level` was graded with: the `max_age`
   * of an RFC 9470 step-up challenge. Undefined when auth-service did not say (an older server).
   */
  readonly freshAuthMaxAgeS: number | undefined;
}

export interface VerifyOptions {
  /**
   * Ask Firebase whether the token was revoked or its user disabled, bypassing auth-service's
   * verification cache. Writes and step-up set it; reads rely on the cache (bounded by its TTL).
   */
  readonly checkRevoked?: boolean;
}

/**
 * Checks a bearer token. Rejects with an AppError: `unauthenticated` or `invalid-argument` when the
 * token is bad, `unavailable` or `deadline-exceeded` when the verifier could not be asked.
 */
export interface AuthVerifier {
  verify(idToken: string, options?: VerifyOptions): Promise<VerifiedSession>;
}
