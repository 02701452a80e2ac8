import { status } from '@grpc/grpc-js';
import { AuthLevel } from '@testbed/protos/auth/v1';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAuthService } from '../src/service.js';
import { base64url, claims as claimsFor, jwt, KEYS_ORIGIN, KEYS_PATH, KID, now, otherKey, publicPem, serveKeys, useProductionFirebase } from './fake-google.js';
import { counterValue, generatedClient, startTestService } from './helpers.js';

// Real signature checks: no emulator, Google's key endpoint answered offline by nock.
const PROJECT_ID = 'rs256-test-project';
const claims = (overrides: Record<string, unknown> = {}) => claimsFor(PROJECT_ID, overrides);

useProductionFirebase();

describe('RS256 verification against served public keys', () => {
  let service: RunningAuthService;
  let client: ReturnType<typeof generatedClient>;

  beforeAll(async () => {
    serveKeys();
    service = await startTestService({ FIREBASE_PROJECT_ID: PROJECT_ID });
    client = generatedClient(service);
  });

  afterAll(async () => {
    client.close();
    await service.stop();
    nock.cleanAll();
  });

  it('when the token is correctly signed, then it is accepted with its claims', async () => {
    const payload = claims();

    const { session } = await client.verifyToken(jwt(payload));

    expect(session).toMatchObject({
      uid: payload['sub'],
      email: payload['email'],
      emailVerified: true,
      displayName: 'Grace Hopper',
      signInProvider: 'password',
      authTime: payload['auth_time'],
      issuedAt: payload['iat'],
      expiresAt: payload['exp'],
      level: AuthLevel.AUTH_LEVEL_AUTHENTICATED,
    });
    expect(await counterValue(service, 'auth_firebase_verifications_total', 'ok')).toBeGreaterThan(0);
  });

  const tampered = (token: string, part: 1 | 2, edit: (segment: string) => string) =>
    token
      .split('.')
      .map((segment, index) => (index === part ? edit(segment) : segment))
      .join('.');

  const rejected: Array<[string, () => string, string]> = [
    [
      'the payload was changed after signing',
      () => tampered(jwt(claims()), 1, () => base64url(JSON.stringify(claims({ sub: 'someone-else' })))),
      'invalid token',
    ],
    ['the signature was changed', () => tampered(jwt(claims()), 2, (s) => `${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`), 'invalid token'],
    ['it uses alg none', () => `${base64url(JSON.stringify({ alg: 'none', typ: 'JWT', kid: KID }))}.${base64url(JSON.stringify(claims()))}.`, 'invalid token'],
    ['its kid is unknown', () => jwt(claims(), { kid: 'unknown-kid' }), 'invalid token'],
    ['another key signed it under our kid', () => jwt(claims(), { key: otherKey.privateKey }), 'invalid token'],
    ['it has expired', () => jwt(claims({ iat: now() - 7200, exp: now() - 3600, auth_time: now() - 7200 })), 'token expired'],
    ['its audience is another project', () => jwt(claims({ aud: 'another-project' })), 'invalid token'],
    ['its issuer is another project', () => jwt(claims({ iss: 'https://securetoken.google.com/another-project' })), 'invalid token'],
    ['it is garbage', () => 'garbage', 'invalid token'],
  ];

  it.each(rejected)('when %s, then it is UNAUTHENTICATED', async (_case, token, reason) => {
    await expect(client.verifyToken(token())).rejects.toMatchObject({ code: status.UNAUTHENTICATED, details: reason });
  });

  it('when the token is empty, then it is INVALID_ARGUMENT', async () => {
    await expect(client.verifyToken('')).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
  });
});

describe('when Google public keys cannot be fetched', () => {
  // A new service each time: firebase-admin caches fetched keys per app.
  const verifyWithKeyEndpoint = async (setUp: (scope: nock.Interceptor) => void, env: Record<string, string> = {}) => {
    nock.cleanAll();
    setUp(nock(KEYS_ORIGIN).persist().get(KEYS_PATH));
    const service = await startTestService({ FIREBASE_PROJECT_ID: PROJECT_ID, ...env });
    const client = generatedClient(service);
    try {
      const outcome = await client.verifyToken(jwt(claims())).then(
        () => undefined,
        (error: unknown) => error,
      );
      return { outcome, errors: await counterValue(service, 'auth_firebase_verifications_total', 'error') };
    } finally {
      client.close();
      await service.stop();
      nock.cleanAll();
    }
  };

  it('when the key endpoint answers 500, then verification is UNAVAILABLE', async () => {
    const { outcome, errors } = await verifyWithKeyEndpoint((scope) => scope.reply(500, 'backend error', { 'content-type': 'text/plain' }));

    expect(outcome).toMatchObject({ code: status.UNAVAILABLE });
    expect(errors).toBe(1);
  });

  it('when the key endpoint is unreachable, then verification is UNAVAILABLE', async () => {
    const { outcome } = await verifyWithKeyEndpoint((scope) =>
      // An Error instance: nock 14 never emits a plain-object error, the request would just hang.
      scope.replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    );

    expect(outcome).toMatchObject({ code: status.UNAVAILABLE });
  });

  it('when the key endpoint stalls, then verification is UNAVAILABLE after the timeout', async () => {
    const { outcome } = await verifyWithKeyEndpoint((scope) => scope.delay(10_000).reply(200, { [KID]: publicPem }, { 'content-type': 'application/json' }), {
      FIREBASE_VERIFY_TIMEOUT_MS: '200',
    });

    expect(outcome).toMatchObject({ code: status.UNAVAILABLE, details: 'token verification timed out' });
  });
});
