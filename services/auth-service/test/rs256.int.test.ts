import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { AuthLevel } from '@testbed/protos/auth/v1';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAuthService } from '../src/auth-service.js';
import { counterValue, generatedClient, startTestService } from './helpers.js';

// Real signature checks: no emulator, Google's key endpoint answered offline by nock.
const PROJECT_ID = 'rs256-test-project';
const KEYS_ORIGIN = 'https://www.googleapis.com';
const KEYS_PATH = '/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com';
const KID = 'test-key-1';

const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
// firebase-admin hands the PEM to jsonwebtoken, which accepts an SPKI public key as well as an
// X.509 certificate, so no certificate has to be minted.
const publicPem = signingKey.publicKey.export({ type: 'spki', format: 'pem' }).toString();

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const uid = `user-${randomUUID()}`;
  const issuedAt = now() - 10;
  return {
    iss: `https://securetoken.google.com/${PROJECT_ID}`,
    aud: PROJECT_ID,
    sub: uid,
    user_id: uid,
    email: `${uid}@example.test`,
    email_verified: true,
    name: 'Grace Hopper',
    iat: issuedAt,
    exp: issuedAt + 3600,
    auth_time: issuedAt,
    firebase: { sign_in_provider: 'password', identities: {} },
    ...overrides,
  };
}

function jwt(payload: Record<string, unknown>, options: { kid?: string; key?: KeyObject } = {}): string {
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? KID }));
  const body = base64url(JSON.stringify(payload));
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${body}`), options.key ?? signingKey.privateKey);
  return `${header}.${body}.${base64url(signature)}`;
}

const serveKeys = () =>
  nock(KEYS_ORIGIN)
    .persist()
    .get(KEYS_PATH)
    .reply(200, { [KID]: publicPem }, { 'cache-control': 'public, max-age=3600', 'content-type': 'application/json' });

let savedEmulatorHost: string | undefined;

beforeAll(() => {
  // firebase-admin reads this variable on every call; while set it skips signature checks.
  savedEmulatorHost = process.env['FIREBASE_AUTH_EMULATOR_HOST'];
  delete process.env['FIREBASE_AUTH_EMULATOR_HOST'];
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
});

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  if (savedEmulatorHost !== undefined) process.env['FIREBASE_AUTH_EMULATOR_HOST'] = savedEmulatorHost;
});

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
      () =>
        tampered(jwt(claims()), 1, () => base64url(JSON.stringify(claims({ sub: 'someone-else' })))),
      'invalid token',
    ],
    [
      'the signature was changed',
      () => tampered(jwt(claims()), 2, (s) => `${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`),
      'invalid token',
    ],
    [
      'it uses alg none',
      () =>
        `${base64url(JSON.stringify({ alg: 'none', typ: 'JWT', kid: KID }))}.${base64url(JSON.stringify(claims()))}.`,
      'invalid token',
    ],
    ['its kid is unknown', () => jwt(claims(), { kid: 'unknown-kid' }), 'invalid token'],
    ['another key signed it under our kid', () => jwt(claims(), { key: otherKey.privateKey }), 'invalid token'],
    ['it has expired', () => jwt(claims({ iat: now() - 7200, exp: now() - 3600, auth_time: now() - 7200 })), 'token expired'],
    ['its audience is another project', () => jwt(claims({ aud: 'another-project' })), 'invalid token'],
    [
      'its issuer is another project',
      () => jwt(claims({ iss: 'https://securetoken.google.com/another-project' })),
      'invalid token',
    ],
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
    const { outcome, errors } = await verifyWithKeyEndpoint((scope) =>
      scope.reply(500, 'backend error', { 'content-type': 'text/plain' }),
    );

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
    const { outcome } = await verifyWithKeyEndpoint(
      (scope) => scope.delay(10_000).reply(200, { [KID]: publicPem }, { 'content-type': 'application/json' }),
      { FIREBASE_VERIFY_TIMEOUT_MS: '200' },
    );

    expect(outcome).toMatchObject({ code: status.UNAVAILABLE, details: 'token verification timed out' });
  });
});
