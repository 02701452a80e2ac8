import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { AuthLevel } from '@testbed/protos/auth/v1';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALLOWED_CLOCK_SKEW_S } from '../src/domain/token-times.js';
import { claims, jwt, now, serveKeys, useProductionFirebase } from './fake-google.js';
import { serviceForSuite } from './helpers.js';

// Time claims of correctly signed tokens (production path: RS256 against served keys) that lie
// beyond the allowed clock skew. Google's own tokens never do; a token that does is not to be
// trusted, and above all must not move the per-user records the levels are graded by.
const PROJECT_ID = 'token-times-test-project';
const DAY_S = 24 * 60 * 60;

useProductionFirebase();
beforeAll(() => {
  serveKeys();
});

/** A signed token for `uid` issued at `iat` by a sign-in at `authTime` (default: `iat`), valid one hour. */
function token(uid: string, times: { iat: number; authTime?: number; extra?: Record<string, unknown> }): string {
  return jwt(
    claims(PROJECT_ID, {
      sub: uid,
      user_id: uid,
      iat: times.iat,
      exp: times.iat + 3600,
      auth_time: times.authTime ?? times.iat,
      ...times.extra,
    }),
  );
}

describe('time claims beyond the allowed clock skew', () => {
  const suite = serviceForSuite({ sharedRedis: true, env: { FIREBASE_PROJECT_ID: PROJECT_ID } });
  const uid = () => `user-${randomUUID()}`;

  it.each([
    ['iat is a day ahead', () => token(uid(), { iat: now() + DAY_S, authTime: now() - 10 })],
    ['auth_time is a day ahead', () => token(uid(), { iat: now() - 10, authTime: now() + DAY_S })],
    ['iat is 30 s ahead', () => token(uid(), { iat: now() + 30 })],
    ['auth_time is 30 s ahead', () => token(uid(), { iat: now() - 10, authTime: now() + 30 })],
    ['nbf is a day ahead', () => token(uid(), { iat: now() - 10, extra: { nbf: now() + DAY_S } })],
    ['exp is a day after iat (Firebase ID tokens live one hour)', () => token(uid(), { iat: now() - 10, extra: { exp: now() + DAY_S } })],
  ])('when %s, then the token is UNAUTHENTICATED', async (_case, make) => {
    await expect(suite.client.verifyToken(make())).rejects.toMatchObject({ code: status.UNAUTHENTICATED });
  });

  it('when a token 30 s ahead was refused, then the next real sign-in is still AUTHENTICATED', async () => {
    const user = uid();
    const first = await suite.client.verifyToken(token(user, { iat: now() - 20 }));
    expect(first.session?.level).toBe(AuthLevel.AUTH_LEVEL_AUTHENTICATED);

    await expect(suite.client.verifyToken(token(user, { iat: now() + 30 }))).rejects.toMatchObject({
      code: status.UNAUTHENTICATED,
    });
    const next = await suite.client.verifyToken(token(user, { iat: now() - 1 }));

    // Had the refused token raised the newest iat on record, this real sign-in would be AUTHORIZED.
    expect(next.session?.level).toBe(AuthLevel.AUTH_LEVEL_AUTHENTICATED);
  });

  it('when iat and auth_time are ahead by less than the allowed skew, then the token is accepted', async () => {
    const ahead = now() + ALLOWED_CLOCK_SKEW_S - 2;

    const { session } = await suite.client.verifyToken(token(uid(), { iat: ahead, authTime: ahead }));

    expect(session?.level).toBe(AuthLevel.AUTH_LEVEL_AUTHENTICATED);
  });
});
