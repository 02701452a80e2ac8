import { setTimeout as sleep } from 'node:timers/promises';
import { AuthLevel } from '@testbed/protos/auth/v1';
import { signInUser, signUpUser } from '@testbed/service-kit/testing';
import { describe, expect, it } from 'vitest';
import { serviceForSuite } from './helpers.js';

// Token times are whole seconds: wait past one so the next token's `iat`/`auth_time` differs.
const NEXT_SECOND_MS = 1_100;

describe('auth levels with session state in Redis', () => {
  const suite = serviceForSuite({ sharedRedis: true });

  it('when the user has just signed in, then the token is AUTHENTICATED', async () => {
    const user = await signUpUser();

    const { session } = await suite.client.verifyToken(user.idToken);

    expect(session?.level).toBe(AuthLevel.AUTH_LEVEL_AUTHENTICATED);
  });

  it('when an older token is replayed after a newer sign-in, then it is only AUTHORIZED', async () => {
    const first = await signUpUser();
    await suite.client.verifyToken(first.idToken);
    await sleep(NEXT_SECOND_MS);
    const second = await signInUser(first.email, first.password);

    const newer = await suite.client.verifyToken(second.idToken);
    const older = await suite.client.verifyToken(first.idToken);

    expect(newer.session?.level).toBe(AuthLevel.AUTH_LEVEL_AUTHENTICATED);
    expect(older.session?.level).toBe(AuthLevel.AUTH_LEVEL_AUTHORIZED);
  });

  it('when the newer token was seen first, then the older one is AUTHORIZED even on its first visit', async () => {
    const first = await signUpUser();
    await sleep(NEXT_SECOND_MS);
    const second = await signInUser(first.email, first.password);
    await suite.client.verifyToken(second.idToken);

    const older = await suite.client.verifyToken(first.idToken);

    expect(older.session?.level).toBe(AuthLevel.AUTH_LEVEL_AUTHORIZED);
  });

  it('when the same newest token is presented again, then it stays AUTHENTICATED', async () => {
    const user = await signUpUser();
    await suite.client.verifyToken(user.idToken);

    const again = await suite.client.verifyToken(user.idToken);

    expect(again.session?.level).toBe(AuthLevel.AUTH_LEVEL_AUTHENTICATED);
  });
});

describe('auth levels with a one-second freshness window', () => {
  const suite = serviceForSuite({ env: { FRESH_AUTH_WINDOW_S: '1' } });

  it('when auth_time is older than the window, then the token is only AUTHORIZED', async () => {
    const user = await signUpUser();
    // Past the window by more than a whole second, whatever the sub-second phase of auth_time.
    await sleep(2 * NEXT_SECOND_MS + 100);

    const { session } = await suite.client.verifyToken(user.idToken);

    expect(session?.level).toBe(AuthLevel.AUTH_LEVEL_AUTHORIZED);
    expect(session?.uid).toBe(user.uid);
  });
});
