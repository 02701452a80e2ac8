import { setTimeout as sleep } from 'node:timers/promises';
import { status } from '@grpc/grpc-js';
import { AuthLevel } from '@testbed/protos/auth/v1';
import { EMULATOR_PROJECT_ID, emulatorHost, signInUser, signUpUser } from '@testbed/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAuthService } from '../src/service.js';
import { address, authProtoFile, bearer, dynamicClient, generatedClient, healthStatus, reflectedServices, startTestService } from './helpers.js';

/** Revokes through the emulator's REST API, as the Admin SDK would (it sets validSince to now). */
async function revokeRefreshTokens(uid: string): Promise<void> {
  const response = await fetch(`http://${emulatorHost()}/identitytoolkit.googleapis.com/v1/projects/${EMULATOR_PROJECT_ID}/accounts:update`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer owner' },
    body: JSON.stringify({ localId: uid, validSince: String(Math.floor(Date.now() / 1000)) }),
  });
  if (!response.ok) throw new Error(`revoke failed: ${response.status} ${await response.text()}`);
}

let service: RunningAuthService;
let client: ReturnType<typeof generatedClient>;

beforeAll(async () => {
  service = await startTestService();
  client = generatedClient(service);
});

afterAll(async () => {
  client.close();
  await service.stop();
});

describe('auth.v1.AuthService over gRPC with Auth emulator tokens', () => {
  it('when a freshly signed-up user calls VerifyToken, then the session carries their claims', async () => {
    const created = await signUpUser({ displayName: 'Ada Lovelace' });
    // The emulator's accounts:update returns no new ID token, so sign in again to get one with `name`.
    const user = await signInUser(created.email, created.password);

    const { session } = await client.verifyToken(user.idToken);

    expect(session).toMatchObject({
      uid: user.uid,
      email: user.email,
      emailVerified: false,
      displayName: 'Ada Lovelace',
      signInProvider: 'password',
      level: AuthLevel.AUTH_LEVEL_AUTHENTICATED,
    });
    expect(session?.issuedAt).toBeGreaterThan(0);
    expect(session?.expiresAt).toBeGreaterThan(session?.issuedAt ?? 0);
    expect(session?.authTime).toBeLessThanOrEqual(session?.issuedAt ?? 0);
  });

  it('when a client built at runtime from auth.proto calls VerifyToken, then it gets the session', async () => {
    const user = await signUpUser();
    const dynamic = dynamicClient(authProtoFile(), ['auth', 'v1', 'AuthService'], address(service));

    const response = await new Promise<Record<string, unknown>>((resolve, reject) =>
      dynamic['VerifyToken']!({ id_token: user.idToken, check_revoked: false }, (error, value) => (error ? reject(error) : resolve(value))),
    );
    dynamic.close();

    expect(response['session']).toMatchObject({
      uid: user.uid,
      email: user.email,
      sign_in_provider: 'password',
      level: 'AUTH_LEVEL_AUTHENTICATED',
    });
  });

  it('when the token comes as bearer metadata, then GetSession returns the session', async () => {
    const user = await signUpUser();

    const session = await client.getSession(bearer(user.idToken));

    expect(session).toMatchObject({ uid: user.uid, email: user.email });
  });

  it('when GetSession has no authorization metadata, then it is UNAUTHENTICATED', async () => {
    await expect(client.getSession()).rejects.toMatchObject({
      code: status.UNAUTHENTICATED,
      details: 'missing bearer token',
    });
  });

  it('when the token is empty, then VerifyToken is INVALID_ARGUMENT', async () => {
    await expect(client.verifyToken('')).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
  });

  it('when the token is garbage, then VerifyToken is UNAUTHENTICATED with a short reason', async () => {
    await expect(client.verifyToken('not-a-jwt')).rejects.toMatchObject({
      code: status.UNAUTHENTICATED,
      details: 'invalid token',
    });
  });

  it('when garbage comes as bearer metadata, then GetSession is UNAUTHENTICATED', async () => {
    await expect(client.getSession(bearer('garbage.token.here'))).rejects.toMatchObject({
      code: status.UNAUTHENTICATED,
    });
  });

  it('when grpc.health.v1.Health/Check is asked, then the server and AuthService are SERVING', async () => {
    await expect(healthStatus(service, '')).resolves.toBe('SERVING');
    await expect(healthStatus(service, 'auth.v1.AuthService')).resolves.toBe('SERVING');
  });

  it('when a client asks server reflection, then it lists AuthService and Health', async () => {
    await expect(reflectedServices(service)).resolves.toEqual(expect.arrayContaining(['auth.v1.AuthService', 'grpc.health.v1.Health']));
  });

  it('when the token was revoked and check_revoked is set, then it is UNAUTHENTICATED: token revoked', async () => {
    const user = await signUpUser();
    await client.verifyToken(user.idToken);
    // Revocation is recorded in whole seconds and only hits tokens issued before that second.
    await sleep(1_100);
    await revokeRefreshTokens(user.uid);

    await expect(client.verifyToken(user.idToken, true)).rejects.toMatchObject({
      code: status.UNAUTHENTICATED,
      details: 'token revoked',
    });
  });

  it('when /readyz is asked without Redis configured, then it is ready', async () => {
    const response = await fetch(`http://127.0.0.1:${service.port}/readyz`);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ready' });
  });
});

describe('in production', () => {
  it('when the service runs with NODE_ENV=production, then server reflection is off', async () => {
    const production = await startTestService({
      NODE_ENV: 'production',
      FIREBASE_PROJECT_ID: 'demo-testbed',
      FIREBASE_AUTH_EMULATOR_HOST: undefined,
    });
    try {
      await expect(reflectedServices(production)).rejects.toMatchObject({ code: status.UNIMPLEMENTED });
    } finally {
      await production.stop();
    }
  });
});

describe('startup', () => {
  it('when the HTTP port is already taken, then starting fails instead of serving half the service', async () => {
    await expect(startTestService({ PORT: String(service.port) })).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('shutdown', () => {
  it('when readiness goes false, then gRPC health turns NOT_SERVING before the server closes', async () => {
    const other = await startTestService();
    // What installShutdown does first on SIGTERM, before the pre-stop delay and the steps.
    other.health.markShuttingDown();

    await expect(healthStatus(other, '')).resolves.toBe('NOT_SERVING');
    await expect(healthStatus(other, 'auth.v1.AuthService')).resolves.toBe('NOT_SERVING');
    await other.stop();
  });
});
