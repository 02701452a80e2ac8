import { ApiError } from './api-error.js';
import { findStepUpChallenge } from './www-authenticate.js';

/** Where a client gets the Firebase ID token it sends; `forceRefresh` mints a new one instead of the cached one. */
export interface TokenSource {
  getToken(forceRefresh: boolean): Promise<string>;
}

/**
 * A REST answer that says the token itself was refused (RFC 6750 `invalid_token`, e.g. expired by the
 * server's clock while the browser's clock, which the Firebase SDK trusts, says it is still valid) rather
 * than that the user must sign in again for a sensitive action (RFC 9470 step-up, handled in ./step-up.ts).
 */
function isRejectedToken(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && findStepUpChallenge(error.wwwAuthenticate) === undefined;
}

/**
 * Runs `call` with the current ID token; when the server rejects the token, forces one refresh and
 * retries once with the new token. A second rejection surfaces (the session really is over), so a
 * server that keeps refusing cannot make the client loop.
 */
export async function withFreshToken<T>(
  call: (token: string) => Promise<T>,
  tokens: TokenSource,
  isRejected: (error: unknown) => boolean = isRejectedToken,
): Promise<T> {
  try {
    return await call(await tokens.getToken(false));
  } catch (error) {
    if (!isRejected(error)) throw error;
  }
  return call(await tokens.getToken(true));
}
