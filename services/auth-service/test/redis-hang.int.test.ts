import { AuthLevel } from '@testbed/protos/auth/v1';
import { privateRedisServer, signInUser, signUpUser, type PrivateRedisServer } from '@testbed/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAuthService } from '../src/service.js';
import { counterValue, generatedClient, startTestService, type GeneratedClient } from './helpers.js';

/** secure-api's deadline for VerifyToken (DEFAULT_DEADLINE_MS in its auth-client.ts). */
const CALLER_DEADLINE_MS = 2_000;

// A hung Redis (SIGSTOP: connections stay open, nothing answers) must not make auth-service miss its
// callers' deadlines: its Redis waits are budgeted from the deadline, and it verifies without Redis.
// The Redis here is private to this file: the shared one on 6379 is never frozen.
describe('when Redis hangs', () => {
  let redisServer: PrivateRedisServer;
  let service: RunningAuthService;
  let client: GeneratedClient;

  beforeAll(async () => {
    redisServer = await privateRedisServer();
    await redisServer.start();
    service = await startTestService({ REDIS_URL: redisServer.url });
    client = generatedClient(service);
  });

  afterAll(async () => {
    redisServer?.signal('SIGCONT');
    client?.close();
    await service?.stop();
    await redisServer?.stop('SIGKILL');
  });

  it('then VerifyToken still answers within the deadline, capped at AUTHORIZED, and recovers after', async () => {
    const cachedUser = await signUpUser();
    await expect(client.verifyToken(cachedUser.idToken)).resolves.toMatchObject({
      session: { level: AuthLevel.AUTH_LEVEL_AUTHENTICATED },
    });
    const freshUser = await signUpUser();
    const errorsBefore = await counterValue(service, 'auth_token_cache_total', 'error');

    redisServer.signal('SIGSTOP');
    try {
      // A cache miss (read, Firebase, then the writes) and a cached token (read, then the iat
      // record), each several times in a row: before the budget each paid up to three 1-s timeouts.
      for (const token of [freshUser.idToken, cachedUser.idToken, freshUser.idToken, cachedUser.idToken]) {
        const { session } = await client.verifyToken(token, false, { deadlineMs: CALLER_DEADLINE_MS });
        expect(session?.level).toBe(AuthLevel.AUTH_LEVEL_AUTHORIZED);
      }
      // check_revoked skips the cache read, so only the writes meet the hung Redis.
      await expect(client.verifyToken(freshUser.idToken, true, { deadlineMs: CALLER_DEADLINE_MS })).resolves.toMatchObject({
        session: { uid: freshUser.uid, level: AuthLevel.AUTH_LEVEL_AUTHORIZED },
      });
      expect(await counterValue(service, 'auth_token_cache_total', 'error')).toBeGreaterThan(errorsBefore);
    } finally {
      redisServer.signal('SIGCONT');
    }

    // A new sign-in after Redis is back is graded on the newest-token rule again.
    const signedInAgain = await signInUser(cachedUser.email, cachedUser.password);
    const { session } = await client.verifyToken(signedInAgain.idToken, false, { deadlineMs: CALLER_DEADLINE_MS });
    expect(session?.level).toBe(AuthLevel.AUTH_LEVEL_AUTHENTICATED);
  });
});
