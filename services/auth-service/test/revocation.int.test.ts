import { status } from '@grpc/grpc-js';
import { AuthLevel } from '@testbed/protos/auth/v1';
import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningAuthService } from '../src/service.js';
import {
  claims,
  jwt,
  now,
  serveAccessTokens,
  serveKeys,
  serveUserLookup,
  useProductionFirebase,
  userLookupDown,
  useServiceAccount,
  type FakeUser,
} from './fake-google.js';
import { counterValue, generatedClient, startTestService, type GeneratedClient } from './helpers.js';

// check_revoked on the production path: real RS256 checks against served keys, then firebase-admin's
// user lookup (Identity Toolkit accounts:lookup with a service-account access token), all faked by
// nock at Google's own URLs. The emulator path always checks; this is the one that must be asked.
const PROJECT_ID = 'revocation-test-project';

useProductionFirebase();
useServiceAccount(PROJECT_ID);

const users = new Map<string, FakeUser>();
const lookedUp: string[] = [];

/** A signed token for a new user the lookup knows as `user`. */
function tokenFor(user: FakeUser): { token: string; uid: string } {
  const payload = claims(PROJECT_ID);
  const uid = String(payload['sub']);
  users.set(uid, user);
  return { token: jwt(payload), uid };
}

describe('check_revoked on the production path', () => {
  let service: RunningAuthService;
  let client: GeneratedClient;

  beforeAll(async () => {
    service = await startTestService({ FIREBASE_PROJECT_ID: PROJECT_ID });
    client = generatedClient(service);
  });

  beforeEach(() => {
    nock.cleanAll();
    serveKeys();
    serveAccessTokens();
    serveUserLookup(PROJECT_ID, users, lookedUp);
  });

  afterAll(async () => {
    client.close();
    await service.stop();
  });

  it('when the user is active and the token not revoked, then it is accepted', async () => {
    const { token, uid } = tokenFor({ validSince: now() - 3600 });

    const { session } = await client.verifyToken(token, true);

    expect(session).toMatchObject({ uid, level: AuthLevel.AUTH_LEVEL_AUTHENTICATED });
    expect(lookedUp).toContain(uid);
  });

  it('when the user revoked their tokens after this one was issued, then it is UNAUTHENTICATED', async () => {
    const { token } = tokenFor({ validSince: now() });

    await expect(client.verifyToken(token, true)).rejects.toMatchObject({
      code: status.UNAUTHENTICATED,
      details: 'token revoked',
    });
  });

  it('when the account is disabled, then it is UNAUTHENTICATED', async () => {
    const { token } = tokenFor({ disabled: true });

    await expect(client.verifyToken(token, true)).rejects.toMatchObject({
      code: status.UNAUTHENTICATED,
      details: 'user disabled',
    });
  });

  it('when the account no longer exists, then it is UNAUTHENTICATED', async () => {
    const token = jwt(claims(PROJECT_ID));

    await expect(client.verifyToken(token, true)).rejects.toMatchObject({
      code: status.UNAUTHENTICATED,
      details: 'user not found',
    });
  });

  it('when a cached token is later revoked, then check_revoked ignores the cache and refuses it', async () => {
    const { token, uid } = tokenFor({});
    await client.verifyToken(token);
    users.set(uid, { validSince: now() });

    // Reads may use the cache for its documented bound; a write asks and is refused.
    await expect(client.verifyToken(token)).resolves.toMatchObject({ session: { uid } });
    await expect(client.verifyToken(token, true)).rejects.toMatchObject({ code: status.UNAUTHENTICATED });
  });

  it('when the user lookup is unreachable, then it is UNAVAILABLE, not a bad token', async () => {
    const { token } = tokenFor({});
    nock.cleanAll();
    serveKeys();
    serveAccessTokens();
    nock('https://identitytoolkit.googleapis.com')
      .persist()
      .post(`/v1/projects/${PROJECT_ID}/accounts:lookup`)
      .replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const errorsBefore = await counterValue(service, 'auth_firebase_verifications_total', 'error');

    await expect(client.verifyToken(token, true)).rejects.toMatchObject({ code: status.UNAVAILABLE });
    expect(await counterValue(service, 'auth_firebase_verifications_total', 'error')).toBe(errorsBefore + 1);
  });

  it("when the user lookup keeps answering 503, then it is UNAVAILABLE before the caller's deadline", async () => {
    const { token } = tokenFor({});
    nock.cleanAll();
    serveKeys();
    serveAccessTokens();
    userLookupDown(PROJECT_ID);

    // firebase-admin retries 503s with backoff for longer than secure-api's 2 s deadline; the wait
    // is cut short of the deadline so the caller gets a classified, retryable answer.
    await expect(client.verifyToken(token, true, { deadlineMs: 2_000 })).rejects.toMatchObject({
      code: status.UNAVAILABLE,
      details: 'token verification timed out',
    });
  });
});
