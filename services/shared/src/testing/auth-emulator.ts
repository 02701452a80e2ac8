import { randomUUID } from 'node:crypto';
import { urlAnswers } from '../wait.js';

export const EMULATOR_PROJECT_ID = 'demo-testbed';

export const emulatorHost = (): string => process.env['FIREBASE_AUTH_EMULATOR_HOST'] ?? '127.0.0.1:9099';

export interface EmulatorUser {
  readonly uid: string;
  readonly email: string;
  readonly password: string;
  readonly idToken: string;
  readonly refreshToken: string;
}

async function identityToolkit(endpoint: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  // The emulator accepts any API key; the real service would want the project's web API key.
  const response = await fetch(`http://${emulatorHost()}/identitytoolkit.googleapis.com/v1/${endpoint}?key=fake-api-key`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`auth emulator ${endpoint} failed: ${JSON.stringify(json)}`);
  return json;
}

/** Creates a new email/password user in the emulator and returns its first ID token. */
export async function signUpUser(options: { email?: string; password?: string; displayName?: string } = {}): Promise<EmulatorUser> {
  const email = options.email ?? `user-${randomUUID()}@example.test`;
  const password = options.password ?? `pw-${randomUUID()}`;
  const created = await identityToolkit('accounts:signUp', { email, password, returnSecureToken: true });
  if (options.displayName) {
    await identityToolkit('accounts:update', { idToken: created['idToken'], displayName: options.displayName });
    // The update does not hand back a new token; a sign-in does, and it carries the `name` claim.
    return signInUser(email, password);
  }
  return {
    uid: String(created['localId']),
    email,
    password,
    idToken: String(created['idToken']),
    refreshToken: String(created['refreshToken']),
  };
}

/** A fresh sign-in: a new token with a new `auth_time` and `iat`. */
export async function signInUser(email: string, password: string): Promise<EmulatorUser> {
  const result = await identityToolkit('accounts:signInWithPassword', { email, password, returnSecureToken: true });
  return {
    uid: String(result['localId']),
    email,
    password,
    idToken: String(result['idToken']),
    refreshToken: String(result['refreshToken']),
  };
}

/** Removes every user from the emulator's project. */
export async function clearEmulatorUsers(): Promise<void> {
  await fetch(`http://${emulatorHost()}/emulator/v1/projects/${EMULATOR_PROJECT_ID}/accounts`, { method: 'DELETE' });
}

export function isEmulatorUp(host = emulatorHost()): Promise<boolean> {
  return urlAnswers(`http://${host}/`);
}
