import { setTimeout as sleep } from 'node:timers/promises';
import { createServer, type Server as TcpServer } from 'node:net';
import { Server, ServerCredentials, status as GrpcStatus } from '@grpc/grpc-js';
import { AuthLevel, AuthServiceService, type AuthServiceServer, type VerifyTokenRequest } from '@testbed/protos/auth/v1';
import { AUTH_HEALTH_SERVICE_NAME } from '@testbed/service-kit/auth';
import { freePort } from '@testbed/service-kit/testing';
import { HealthImplementation } from 'grpc-health-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSecureApiConfig } from '../src/config.js';
import { startService, type RunningSecureApi } from '../src/service.js';

// Issue 7, item 12: after an outage long enough for grpc-js's default backoff to grow, secure-api
// stayed 503 for 11-14 s after auth-service was back. The bound is the issue's: serving again
// within 2 s. After 10 s of failed attempts the default backoff is past 4 s.
const OUTAGE_MS = 10_000;
const RECOVERY_BOUND_MS = 2_000;

/**
 * While auth-service is away its port resets every connection (as a restarting pod's does), and
 * counts them: each is one reconnect attempt of the client. Coming back right after an attempt is
 * the worst case, a full backoff period away from the next one, whatever the jitter.
 */
async function startRefuser(port: number): Promise<{ attempts: () => number; close: () => Promise<void> }> {
  let attempts = 0;
  const server: TcpServer = createServer((socket) => {
    attempts++;
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return { attempts: () => attempts, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * A real grpc-js server speaking auth.v1 and grpc.health.v1 on a fixed port, so it can be stopped
 * and started again where the client expects it. Token "good" is a valid fresh session.
 */
async function startFakeAuthService(port: number, hooks: { onVerify?: (request: VerifyTokenRequest) => GrpcStatus | undefined } = {}): Promise<Server> {
  const server = new Server();
  const handlers: AuthServiceServer = {
    verifyToken: (call, callback) => {
      const failure = hooks.onVerify?.(call.request);
      if (failure !== undefined) {
        callback({ code: failure, details: 'injected failure' });
        return;
      }
      if (call.request.idToken !== 'good') {
        callback({ code: GrpcStatus.UNAUTHENTICATED, details: 'bad token' });
        return;
      }
      callback(null, {
        session: {
          uid: 'recovering-user',
          email: 'r@example.test',
          emailVerified: true,
          displayName: 'R',
          signInProvider: 'password',
          authTime: 1,
          issuedAt: 1,
          expiresAt: 2,
          level: AuthLevel.AUTH_LEVEL_AUTHENTICATED,
        },
        freshAuthMaxAgeSeconds: 300,
      });
    },
    getSession: (_call, callback) => callback({ code: GrpcStatus.UNIMPLEMENTED, details: 'not here' }),
  };
  server.addService(AuthServiceService, handlers);
  new HealthImplementation({ '': 'SERVING', [AUTH_HEALTH_SERVICE_NAME]: 'SERVING' }).addToServer(server);
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (error) => (error ? reject(error) : resolve())),
  );
  return server;
}

/** Resolves at the client's next reconnect attempt after `seen` ones (it keeps calling meanwhile). */
async function waitForAttempt(refuser: { attempts: () => number }, seen: number): Promise<void> {
  const giveUp = Date.now() + 150_000;
  while (refuser.attempts() === seen) {
    if (Date.now() > giveUp) throw new Error('the client stopped trying to reconnect');
    await sleep(5);
  }
}

describe('when auth-service goes away and comes back on the same address', () => {
  let port: number;
  let authService: Server;
  let api: RunningSecureApi;
  let me: () => Promise<number>;

  beforeAll(async () => {
    port = await freePort();
    authService = await startFakeAuthService(port);
    api = await startService(loadSecureApiConfig({ PORT: '0', NODE_ENV: 'test', LOG_LEVEL: 'silent', AUTH_GRPC_ADDR: `127.0.0.1:${port}` }));
    me = async () => {
      const response = await fetch(`http://127.0.0.1:${api.port}/api/secure/me`, { headers: { authorization: 'Bearer good' } });
      await response.body?.cancel();
      return response.status;
    };
  });

  afterAll(async () => {
    await api?.stop();
    authService?.forceShutdown();
  });

  it(`when it returns after a ${OUTAGE_MS / 1000} s outage, then secure-api serves again within 2 s and readiness follows`, async () => {
    expect(await me()).toBe(200);

    authService.forceShutdown();
    const refuser = await startRefuser(port);
    // Clients keep calling through the outage, as they do in production.
    const during = new Set<number>();
    const outageEnds = Date.now() + OUTAGE_MS;
    while (Date.now() < outageEnds) {
      during.add(await me());
      await sleep(250);
    }
    expect([...during]).toEqual([503]);
    expect((await api.health.readiness()).checks['auth-service']?.status).toBe('down');

    const seen = refuser.attempts();
    expect(seen).toBeGreaterThan(0);
    await waitForAttempt(refuser, seen);
    await refuser.close();
    authService = await startFakeAuthService(port);
    const back = performance.now();
    let status = 0;
    const giveUp = back + 60_000;
    while (status !== 200 && performance.now() < giveUp) {
      status = await me();
      if (status !== 200) await sleep(50);
    }
    const recoveryMs = performance.now() - back;
    expect(status).toBe(200);
    expect(recoveryMs).toBeLessThanOrEqual(RECOVERY_BOUND_MS);
    expect((await api.health.readiness()).checks['auth-service']?.status).toBe('up');
  }, 240_000);
});

describe('VerifyToken calls on the wire', () => {
  let authService: Server;
  let api: RunningSecureApi;
  let base: string;
  const requests: VerifyTokenRequest[] = [];
  let failNext = 0;

  beforeAll(async () => {
    const port = await freePort();
    authService = await startFakeAuthService(port, {
      onVerify: (request) => {
        requests.push(request);
        if (failNext > 0) {
          failNext--;
          return GrpcStatus.UNAVAILABLE;
        }
        return undefined;
      },
    });
    api = await startService(loadSecureApiConfig({ PORT: '0', NODE_ENV: 'test', LOG_LEVEL: 'silent', AUTH_GRPC_ADDR: `127.0.0.1:${port}` }));
    base = `http://127.0.0.1:${api.port}/api/secure`;
  });

  afterAll(async () => {
    await api?.stop();
    authService?.forceShutdown();
  });

  const send = (method: string, body?: unknown) =>
    fetch(`${base}/me`, {
      method,
      headers: { authorization: 'Bearer good', ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  it('when a request writes, then check_revoked is sent to auth-service; when it reads, then it is not', async () => {
    requests.length = 0;
    expect((await send('PUT', { displayName: 'R', bio: '' })).status).toBe(200);
    expect((await send('DELETE')).status).toBe(204);
    expect((await send('GET')).status).toBe(200);
    expect(requests.map((r) => r.checkRevoked)).toEqual([true, true, false]);
  });

  it('when auth-service answers UNAVAILABLE twice, then the idempotent VerifyToken is retried and the request succeeds', async () => {
    requests.length = 0;
    failNext = 2;
    expect((await send('GET')).status).toBe(200);
    expect(requests).toHaveLength(3);
  });
});
