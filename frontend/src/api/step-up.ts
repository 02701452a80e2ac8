import { ApiError } from './api-error.js';
import { findStepUpChallenge } from './www-authenticate.js';

export interface StepUpSession {
  /** The current ID token; `forceRefresh` mints a new one (after re-authentication). */
  getToken(forceRefresh: boolean): Promise<string>;
  /** Asks the user to prove it is them again (password prompt or popup); rejects when they cancel. */
  reauthenticate(): Promise<void>;
}

export function isStepUpRequired(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && findStepUpChallenge(error.wwwAuthenticate) !== undefined;
}

/**
 * Runs a secure API call; on an RFC 9470 step-up challenge re-authenticates and retries exactly once,
 * so a server that keeps refusing cannot make the UI loop.
 */
export async function withStepUp<T>(call: (token: string) => Promise<T>, session: StepUpSession): Promise<T> {
  try {
    return await call(await session.getToken(false));
  } catch (error) {
    if (!isStepUpRequired(error)) throw error;
  }
  await session.reauthenticate();
  return call(await session.getToken(true));
}
