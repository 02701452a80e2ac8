import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './api-error.js';
import { createSecureApi } from './secure-api.js';
import { withStepUp, type StepUpSession } from './step-up.js';

const stepUpChallenge = () =>
  new ApiError(401, 'Unauthorized', 'Sign in again', [], undefined, 'Bearer realm="testbed", error="insufficient_user_authentication", max_age=300');

function fakeSession(): StepUpSession & { tokens: string[] } {
  let issued = 0;
  const tokens: string[] = [];
  return {
    tokens,
    getToken: vi.fn(async (force: boolean) => {
      if (force) issued += 1;
      const token = `token-${issued}`;
      tokens.push(token);
      return token;
    }),
    reauthenticate: vi.fn(async () => {}),
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('withStepUp', () => {
  it('when the call succeeds, then nobody is asked to re-authenticate', async () => {
    const session = fakeSession();
    await expect(withStepUp(async () => 'done', session)).resolves.toBe('done');
    expect(session.reauthenticate).not.toHaveBeenCalled();
  });

  it('when the first call gets the step-up challenge, then it re-authenticates, forces a fresh token and retries once', async () => {
    const session = fakeSession();
    const call = vi.fn(async (token: string) => {
      if (token === 'token-0') throw stepUpChallenge();
      return `ok with ${token}`;
    });
    await expect(withStepUp(call, session)).resolves.toBe('ok with token-1');
    expect(session.reauthenticate).toHaveBeenCalledTimes(1);
    expect(session.getToken).toHaveBeenLastCalledWith(true);
    expect(call).toHaveBeenCalledTimes(2);
  });

  it('when the retry is challenged again, then the error surfaces instead of looping', async () => {
    const session = fakeSession();
    const call = vi.fn(async () => {
      throw stepUpChallenge();
    });
    const error = await withStepUp(call, session).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect(call).toHaveBeenCalledTimes(2);
    expect(session.reauthenticate).toHaveBeenCalledTimes(1);
  });

  it('when a 401 is a plain invalid token, then there is no re-authentication prompt', async () => {
    const session = fakeSession();
    const invalid = new ApiError(401, 'Unauthorized', undefined, [], undefined, 'Bearer error="invalid_token"');
    await expect(withStepUp(async () => Promise.reject(invalid), session)).rejects.toBe(invalid);
    expect(session.reauthenticate).not.toHaveBeenCalled();
  });

  it('when the user cancels the prompt, then the call is not retried and the cancellation surfaces', async () => {
    const session = fakeSession();
    const cancelled = new Error('cancelled');
    session.reauthenticate = vi.fn(async () => Promise.reject(cancelled));
    const call = vi.fn(async () => Promise.reject(stepUpChallenge()));
    await expect(withStepUp(call, session)).rejects.toBe(cancelled);
    expect(call).toHaveBeenCalledTimes(1);
  });
});

describe('secure API over fetch', () => {
  it('when PUT /api/secure/me answers the RFC 9470 challenge, then the PUT is replayed once with the fresh token', async () => {
    const authorizations: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (request: Request) => {
        const authorization = request.headers.get('authorization') ?? '';
        authorizations.push(authorization);
        if (authorization === 'Bearer token-0') {
          return new Response(JSON.stringify({ title: 'Unauthorized', status: 401 }), {
            status: 401,
            headers: {
              'content-type': 'application/problem+json',
              'www-authenticate': 'Bearer realm="testbed", error="insufficient_user_authentication", error_description="stale", max_age=300',
            },
          });
        }
        return new Response(JSON.stringify({ uid: 'u', displayName: 'New', bio: '' }), { status: 200, headers: { 'content-type': 'application/json' } });
      }),
    );
    const session = fakeSession();
    const profile = await createSecureApi(session).updateMe({ displayName: 'New', bio: '' });
    expect(profile.displayName).toBe('New');
    expect(authorizations).toEqual(['Bearer token-0', 'Bearer token-1']);
    expect(session.reauthenticate).toHaveBeenCalledTimes(1);
  });
});
