import { ApiError } from './api-error.js';
import { withFreshToken, type TokenSource } from './token-refresh.js';
import { findStepUpChallenge } from './www-authenticate.js';

export interface StepUpSession extends TokenSource {
  /** Asks the user to prove it is them again (password prompt or popup); rejects when they cancel. */
  reauthenticate(): Promise<void>;
}

function isStepUpRequired(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && findStepUpChallenge(error.wwwAuthenticate) !== undefined;
}

/**
 * Runs a secure API call; on an RFC 9470 step-up challenge re-authenticates and retries exactly once,
 * so a server that keeps refusing cannot make the UI loop. A rejected (e.g. expired) token is first
 * refreshed once, as for every call (./token-refresh.ts).
 */
export async function withStepUp<T>(call: (token: string) => Promise<T>, session: StepUpSession): Promise<T> {
  try {
    return await withFreshToken(call, session);
  } catch (error) {
    if (!isStepUpRequired(error)) throw error;
  }
  await session.reauthenticate();
  return call(await session.getToken(true));
}
