import { AuthLevel } from '@testbed/protos/auth/v1';
import { signInUser, signUpUser } from '@testbed/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAuthService } from '../src/auth-service.js';
import { generatedClient, redisNamespace, sleep, startTestService, TEST_REDIS_URL } from './helpers.js';

// Token times are whole seconds: wait past one so the next token's `iat`/`auth_time` differs.
const NEXT_SECOND_MS = 1_100;

describe('auth levels with session state in Redis', () => {
  let service: RunningAuthService;
  let client: ReturnType<typeof generatedClient>;
  const namespace = redisNamespace();

  beforeAll(async () => {
    service = await startTestService({ REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: namespace.prefix });
    client = generatedClient(service);
  });

  afterAll(async () => {
    client.close();
    await service.stop();
    await namespace.cleanUp();
  });

  it('when the user has just signed in, then the token is AUTHENTICATED', async () => {
    const user = await signUpUser();

    const { session } = await client.verifyToken(user.idToken);

    expect(session?.level).toBe(AuthLevel.AUTH_LEVEL_AUTHENTICATED);
  });

  it('when an older token is replayed after a newer sign-in, then it is only AUTHORIZED', async () => {
    const first = await signUpUser();
    await client.verifyToken(first.idToken);
    await sleep(NEXT_SECOND_MS);
    const second = await signInUser(first.email, first.password);

    const newer = await client.verifyToken(second.idToken);
    const older = await client.verifyToken(first.idToken);

    expect(newer.session?.level).toBe(AuthLevel.AUTH_LEVEL_AUTHENTICATED);
    expect(older.session?.level).toBe(AuthLevel.AUTH_LEVEL_AUTHORIZED);
  });

  it('when the newer token was seen first, then the older one is AUTHORIZED even on its first visit', async () => {
    const first = await signUpUser();
    await sleep(NEXT_SECOND_MS);
    const second = await signInUser(first.email, first.password);
    await client.verifyToken(second.idToken);

    const older = await client.verifyToken(first.idToken);

    expect(older.session?.level).toBe(AuthLevel.AUTH_LEVEL_AUTHORIZED);
  });

  it('when the same newest token is presented again, then it stays AUTHENTICATED', async () => {
    const user = await signUpUser();
    await client.verifyToken(user.idToken);

    const again = await client.verifyToken(user.idToken);

    expect(again.session?.level).toBe(AuthLevel.AUTH_LEVEL_AUTHENTICATED);
  });
});

describe('auth levels with a one-second freshness window', () => {
  let service: RunningAuthService;
  let client: ReturnType<typeof generatedClient>;

  beforeAll(async () => {
    service = await startTestService({ FRESH_AUTH_WINDOW_S: '1' });
    client = generatedClient(service);
  });

  afterAll(async () => {
    client.close();
    await service.stop();
  });

  it('when auth_time is older than the window, then the token is only AUTHORIZED', async () => {
    const user = await signUpUser();
    // Past the window by more than a whole second, whatever the sub-second phase of auth_time.
    await sleep(2 * NEXT_SECOND_MS + 100);

    const { session } = await client.verifyToken(user.idToken);

    expect(session?.level).toBe(AuthLevel.AUTH_LEVEL_AUTHORIZED);
    expect(session?.uid).toBe(user.uid);
  });
});
