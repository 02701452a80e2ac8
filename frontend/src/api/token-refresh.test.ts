import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './api-error.js';
import { createSecureApi, type SecureApi } from './secure-api.js';
import type { StepUpSession } from './step-up.js';
import { withFreshToken } from './token-refresh.js';

/** Hands out `stale-token` until forced to refresh, then `fresh-token`. */
function fakeSession(): StepUpSession {
  return {
    getToken: vi.fn(async (force: boolean) => (force ? 'fresh-token' : 'stale-token')),
    reauthenticate: vi.fn(async () => {}),
  };
}

const problem = (status: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ title: 'Unauthorized', status, detail: 'Token expired' }), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
const expired = () => problem(401, { 'www-authenticate': 'Bearer realm="testbed", error="invalid_token", error_description="expired"' });

/** A fake fetch: `answer` decides from the Authorization header; every call's header is recorded. */
function stubFetch(answer: (authorization: string) => Response) {
  const authorizations: string[] = [];
  vi.stubGlobal(
    'fetch',
    // openapi-fetch calls fetch with one Request.
    vi.fn(async (request: Request) => {
      const authorization = request.headers.get('authorization') ?? '';
      authorizations.push(authorization);
      return answer(authorization);
    }),
  );
  return authorizations;
}

const okBody = () =>
  new Response(JSON.stringify({ uid: 'u', displayName: 'Ada', bio: '', items: [], nextCursor: null }), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });

afterEach(() => {
  vi.unstubAllGlobals();
});

const calls: [string, (api: SecureApi) => Promise<unknown>][] = [
  ['getMe', (api) => api.getMe()],
  ['updateMe', (api) => api.updateMe({ displayName: 'Ada', bio: '' })],
  ['deleteMe', (api) => api.deleteMe()],
  ['postMessage', (api) => api.postMessage('hi')],
  ['myActivity', (api) => api.myActivity()],
];

describe('secure API token refresh', () => {
  it.each(calls)('when %s is answered 401 invalid_token, then it forces one fresh token and retries once', async (_name, call) => {
    const authorizations = stubFetch((authorization) => (authorization === 'Bearer stale-token' ? expired() : okBody()));
    const session = fakeSession();

    await expect(call(createSecureApi(session))).resolves.not.toThrow();

    expect(authorizations).toEqual(['Bearer stale-token', 'Bearer fresh-token']);
    expect(session.getToken).toHaveBeenLastCalledWith(true);
    expect(session.reauthenticate).not.toHaveBeenCalled();
  });

  it('when the fresh token is refused too, then the 401 surfaces after exactly two requests', async () => {
    const authorizations = stubFetch(() => expired());

    const error = await createSecureApi(fakeSession())
      .getMe()
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect(authorizations).toHaveLength(2);
  });

  it('when the answer is not a 401, then no refresh is forced', async () => {
    const authorizations = stubFetch(() => problem(503));
    const session = fakeSession();

    await createSecureApi(session)
      .getMe()
      .catch(() => undefined);

    expect(authorizations).toEqual(['Bearer stale-token']);
    expect(session.getToken).not.toHaveBeenCalledWith(true);
  });

  it('when the token is refreshed and then a step-up is asked, then the user re-authenticates once and the write goes through', async () => {
    const stepUp = problem(401, { 'www-authenticate': 'Bearer realm="testbed", error="insufficient_user_authentication", max_age=300' });
    const answers = [expired(), stepUp];
    const authorizations = stubFetch(() => answers.shift() ?? okBody());
    const session = fakeSession();

    await createSecureApi(session).updateMe({ displayName: 'Ada', bio: '' });

    expect(authorizations).toHaveLength(3);
    expect(session.reauthenticate).toHaveBeenCalledTimes(1);
  });
});

describe('withFreshToken', () => {
  it('when the error is not a rejected token, then the call is not retried', async () => {
    const call = vi.fn(async () => Promise.reject(new Error('boom')));
    await expect(withFreshToken(call, fakeSession())).rejects.toThrow('boom');
    expect(call).toHaveBeenCalledTimes(1);
  });
});
