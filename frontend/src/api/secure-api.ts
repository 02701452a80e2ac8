import type { SecureApiComponents, SecureApiPaths } from '@testbed/contracts/http/types';
import createClient from 'openapi-fetch';
import { bearer, dataOf, problemMiddleware } from './http.js';
import { withStepUp, type StepUpSession } from './step-up.js';
import { withFreshToken } from './token-refresh.js';

type Schemas = SecureApiComponents['schemas'];
export type Profile = Schemas['Me'];
export type ProfileUpdate = Schemas['ProfileChanges'];
export type SignedInMessage = Schemas['SignedInMessage'];
export type ActivityPage = Schemas['ActivityPage'];

export interface SecureApi {
  getMe(): Promise<Profile>;
  updateMe(update: ProfileUpdate): Promise<Profile>;
  deleteMe(): Promise<void>;
  postMessage(text: string): Promise<SignedInMessage>;
  myActivity(): Promise<ActivityPage>;
}

/**
 * The secure REST API, typed by its generated OpenAPI document. Every call sends the Firebase ID
 * token and, when the server rejects it (expired by the server's clock), refreshes it once and
 * retries; writes that need a fresh sign-in step up.
 */
export function createSecureApi(session: StepUpSession): SecureApi {
  const client = createClient<SecureApiPaths>({ baseUrl: '/api/secure' });
  client.use(problemMiddleware);
  return {
    getMe: () => withFreshToken(async (token) => dataOf(await client.GET('/me', { headers: bearer(token) })), session),
    updateMe: (update) => withStepUp(async (token) => dataOf(await client.PUT('/me', { body: update, headers: bearer(token) })), session),
    deleteMe: () =>
      withStepUp(async (token) => {
        await client.DELETE('/me', { headers: bearer(token) });
      }, session),
    postMessage: (text) => withFreshToken(async (token) => dataOf(await client.POST('/messages', { body: { text }, headers: bearer(token) })), session),
    myActivity: () => withFreshToken(async (token) => dataOf(await client.GET('/me/activity', { params: { query: {} }, headers: bearer(token) })), session),
  };
}
