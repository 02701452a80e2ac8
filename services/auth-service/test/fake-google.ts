import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll } from 'vitest';

// firebase-admin's production path, answered offline by nock: the same URLs it calls in a cluster,
// so the code under test is the code that runs there (no emulator, real RS256 signature checks).
export const KEYS_ORIGIN = 'https://www.googleapis.com';
export const KEYS_PATH = '/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com';
/** Where google-auth-library exchanges the service account's signed assertion for an access token. */
const OAUTH_ORIGIN = 'https://oauth2.googleapis.com';
/** firebase-admin's getUser(): `FIREBASE_AUTH_BASE_URL_FORMAT` + `/accounts:lookup` in auth-api-request.js. */
const IDENTITY_TOOLKIT_ORIGIN = 'https://identitytoolkit.googleapis.com';
export const KID = 'test-key-1';

export const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
// firebase-admin hands the PEM to jsonwebtoken, which accepts an SPKI public key as well as an
// X.509 certificate, so no certificate has to be minted.
export const publicPem = signingKey.publicKey.export({ type: 'spki', format: 'pem' }).toString();

export const base64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');
/** Seconds since the epoch. */
export const now = (): number => Math.floor(Date.now() / 1000);

/** The claims of a Firebase ID token for `projectId`, issued 10 s ago to a new user. */
export function claims(projectId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const uid = `user-${randomUUID()}`;
  const issuedAt = now() - 10;
  return {
    iss: `https://securetoken.google.com/${projectId}`,
    aud: projectId,
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

/** An RS256 JWT over `payload`, signed by the key `serveKeys` publishes unless told otherwise. */
export function jwt(payload: Record<string, unknown>, options: { kid?: string; key?: KeyObject } = {}): string {
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? KID }));
  const body = base64url(JSON.stringify(payload));
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${body}`), options.key ?? signingKey.privateKey);
  return `${header}.${body}.${base64url(signature)}`;
}

/** Answers Google's public-key endpoint with the test key. */
export const serveKeys = (): nock.Scope =>
  nock(KEYS_ORIGIN)
    .persist()
    .get(KEYS_PATH)
    .reply(200, { [KID]: publicPem }, { 'cache-control': 'public, max-age=3600', 'content-type': 'application/json' });

/**
 * For the enclosing file: no Auth emulator (firebase-admin reads FIREBASE_AUTH_EMULATOR_HOST on
 * every call and, while it is set, skips signature and takes the emulator's user records), and no
 * network beyond loopback, so every Google call must be one this file fakes.
 */
export function useProductionFirebase(): void {
  let savedEmulatorHost: string | undefined;
  beforeAll(() => {
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
}

/**
 * For the enclosing file: a service-account key file, made now and deleted afterwards, named by
 * GOOGLE_APPLICATION_CREDENTIALS as a cluster mounts it, and Google's token endpoint answering it.
 * firebase-admin's applicationDefault() needs both before it may call the user lookup.
 */
export function useServiceAccount(projectId: string): void {
  let dir: string | undefined;
  let saved: string | undefined;
  beforeAll(() => {
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
    dir = mkdtempSync(join(tmpdir(), 'auth-service-sa-'));
    const file = join(dir, 'service-account.json');
    writeFileSync(
      file,
      JSON.stringify({
        type: 'service_account',
        project_id: projectId,
        private_key_id: 'test-service-account-key',
        private_key: key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        client_email: `auth-service@${projectId}.iam.gserviceaccount.com`,
        client_id: '1',
        token_uri: `${OAUTH_ORIGIN}/token`,
      }),
      { mode: 0o600 },
    );
    saved = process.env['GOOGLE_APPLICATION_CREDENTIALS'];
    process.env['GOOGLE_APPLICATION_CREDENTIALS'] = file;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env['GOOGLE_APPLICATION_CREDENTIALS'];
    else process.env['GOOGLE_APPLICATION_CREDENTIALS'] = saved;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
}

/** Google's OAuth token endpoint, handing out access tokens to the service account. */
export const serveAccessTokens = (): nock.Scope =>
  nock(OAUTH_ORIGIN).persist().post('/token').reply(200, { access_token: 'test-access-token', expires_in: 3600, token_type: 'Bearer' });

/** What the user lookup says about a user; `validSince` is `tokensValidAfterTime` in seconds. */
export interface FakeUser {
  readonly disabled?: boolean;
  readonly validSince?: number;
}

/**
 * The Identity Toolkit `accounts:lookup` endpoint firebase-admin's getUser() calls, answering from
 * `users` (unknown uids get Google's empty answer, which firebase-admin reports as user-not-found);
 * each uid asked about is appended to `lookedUp`.
 * It insists on the access token, as Google does.
 */
export function serveUserLookup(projectId: string, users: ReadonlyMap<string, FakeUser>, lookedUp: string[] = []): nock.Scope {
  return nock(IDENTITY_TOOLKIT_ORIGIN, { reqheaders: { authorization: 'Bearer test-access-token' } })
    .persist()
    .post(`/v1/projects/${projectId}/accounts:lookup`)
    .reply((_uri, body) => {
      const [uid] = (body as { localId?: string[] }).localId ?? [];
      if (uid !== undefined) lookedUp.push(uid);
      const user = uid === undefined ? undefined : users.get(uid);
      if (!user) return [200, { kind: 'identitytoolkit#GetAccountInfoResponse' }];
      return [
        200,
        {
          kind: 'identitytoolkit#GetAccountInfoResponse',
          users: [
            {
              localId: uid,
              email: `${uid}@example.test`,
              emailVerified: true,
              disabled: user.disabled ?? false,
              ...(user.validSince === undefined ? {} : { validSince: String(user.validSince) }),
              createdAt: String(Date.now() - 60_000),
              lastLoginAt: String(Date.now()),
            },
          ],
        },
      ];
    });
}

/** The user lookup failing the way an outage does: Google answers 503. */
export const userLookupDown = (projectId: string): nock.Scope =>
  nock(IDENTITY_TOOLKIT_ORIGIN)
    .persist()
    .post(`/v1/projects/${projectId}/accounts:lookup`)
    .reply(503, { error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' } });
