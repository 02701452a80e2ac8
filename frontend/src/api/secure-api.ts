import { requestJson } from './http.js';
import type { ActivityItem, Message, Page } from './public-api.js';
import { normaliseActivityPage } from './public-api.js';
import { withStepUp, type StepUpSession } from './step-up.js';
import { withFreshToken } from './token-refresh.js';

// `string & Record<never, never>` keeps the two known names as suggestions without narrowing to them.
export type AuthLevelName = 'AUTHORIZED' | 'AUTHENTICATED' | (string & Record<never, never>);

export interface Profile {
  uid: string;
  email: string | null;
  emailVerified: boolean;
  displayName: string;
  bio: string;
  authLevel: AuthLevelName;
  createdAt: string;
  updatedAt: string;
}

export interface ProfileUpdate {
  displayName: string;
  bio: string;
}

export interface SecureApi {
  getMe(): Promise<Profile>;
  updateMe(update: ProfileUpdate): Promise<Profile>;
  deleteMe(): Promise<void>;
  postMessage(text: string): Promise<Message>;
  myActivity(): Promise<Page<ActivityItem>>;
}

/**
 * The secure REST API. Every call sends the Firebase ID token and, when the server rejects it (expired by
 * the server's clock), refreshes it once and retries; writes that need a fresh sign-in step up.
 */
export function createSecureApi(session: StepUpSession): SecureApi {
  const read = <T>(path: string) => withFreshToken((token) => requestJson<T>(path, { token }), session);
  return {
    getMe: () => read<Profile>('/api/secure/me'),
    updateMe: (update) => withStepUp((token) => requestJson<Profile>('/api/secure/me', { method: 'PUT', body: update, token }), session),
    deleteMe: () => withStepUp((token) => requestJson<void>('/api/secure/me', { method: 'DELETE', token }), session),
    postMessage: (text) => withFreshToken((token) => requestJson<Message>('/api/secure/messages', { method: 'POST', body: { text }, token }), session),
    myActivity: async () => normaliseActivityPage(await read<{ items?: unknown; nextCursor?: unknown }>('/api/secure/me/activity')),
  };
}
