import type { VerifiedSession } from './session.js';

/**
 * Checks a bearer token. Rejects with an AppError: `unauthenticated` or `invalid-argument` when the
 * token is bad, `unavailable` or `deadline-exceeded` when the verifier could not be asked.
 */
export interface AuthVerifier {
  verify(idToken: string): Promise<VerifiedSession>;
}
