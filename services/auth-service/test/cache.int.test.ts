import { spawn, type ChildProcess } from 'node:child_process';
import { AuthLevel } from '@testbed/protos/auth/v1';
import { signUpUser, freePort, waitFor } from '@testbed/service-kit/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAuthService } from '../src/auth-service.js';
import { counterValue, generatedClient, redisNamespace, startTestService, TEST_REDIS_URL } from './helpers.js';

const VERIFICATIONS = 'auth_firebase_verifications_total';
const CACHE = 'auth_token_cache_total';

describe('verification cache in Redis', () => {
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

  it('when the same token is verified twice, then Firebase is asked only once', async () => {
    const user = await signUpUser();
    const before = await counterValue(service, VERIFICATIONS, 'ok');
    const hitsBefore = await counterValue(service, CACHE, 'hit');

    const first = await client.verifyToken(user.idToken);
    const second = await client.verifyToken(user.idToken);

    expect(await counterValue(service, VERIFICATIONS, 'ok')).toBe(before + 1);
    expect(await counterValue(service, CACHE, 'hit')).toBe(hitsBefore + 1);
    expect(second.session).toEqual(first.session);
  });

  it('when check_revoked is set, then the cache is bypassed and Firebase is asked every time', async () => {
    const user = await signUpUser();
    await client.verifyToken(user.idToken);
    const before = await counterValue(service, VERIFICATIONS, 'ok');
    const bypassBefore = await counterValue(service, CACHE, 'bypass');

    await client.verifyToken(user.idToken, true);
    await client.verifyToken(user.idToken, true);

    expect(await counterValue(service, VERIFICATIONS, 'ok')).toBe(before + 2);
    expect(await counterValue(service, CACHE, 'bypass')).toBe(bypassBefore + 2);
  });

  it('when a token is cached, then Redis holds its hash and claims, never the token', async () => {
    const user = await signUpUser();
    await client.verifyToken(user.idToken);
    const redis = new Redis(TEST_REDIS_URL);

    const keys = await redis.keys(`${namespace.prefix}token:*`);
    const values = await Promise.all(keys.map((key) => redis.get(key)));
    const ttls = await Promise.all(keys.map((key) => redis.ttl(key)));
    redis.disconnect();

    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((key) => /token:[0-9a-f]{64}$/.test(key))).toBe(true);
    expect(values.some((value) => value?.includes(user.uid))).toBe(true);
    expect(values.every((value) => !value?.includes(user.idToken))).toBe(true);
    expect(ttls.every((ttl) => ttl > 0 && ttl <= 300)).toBe(true);
  });

  it('when the metrics endpoint is scraped, then both counters are exposed', async () => {
    const text = await (await fetch(`http://127.0.0.1:${service.httpPort}/metrics`)).text();

    expect(text).toMatch(/auth_firebase_verifications_total\{result="ok",service="auth-service"\} \d+/);
    expect(text).toMatch(/auth_token_cache_total\{result="hit",service="auth-service"\} \d+/);
  });
});

describe('when Redis goes away', () => {
  let redisServer: ChildProcess;
  let service: RunningAuthService;
  let client: ReturnType<typeof generatedClient>;

  beforeAll(async () => {
    const port = await freePort();
    redisServer = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    const url = `redis://127.0.0.1:${port}`;
    await waitFor(async () => {
      const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
      probe.on('error', () => {});
      try {
        await probe.connect();
        return (await probe.ping()) === 'PONG';
      } finally {
        probe.disconnect();
      }
    }, { what: 'the private redis-server' });
    service = await startTestService({ REDIS_URL: url });
    client = generatedClient(service);
  });

  afterAll(async () => {
    client.close();
    await service.stop();
    if (redisServer.exitCode === null) redisServer.kill('SIGKILL');
  });

  it('then verification still works, the cache errors are counted and /readyz says degraded', async () => {
    const before = await signUpUser();
    await client.verifyToken(before.idToken);
    const ready = await (await fetch(`http://127.0.0.1:${service.httpPort}/readyz`)).json();
    expect(ready).toMatchObject({ status: 'ready', checks: { redis: { status: 'up' } } });

    const exited = new Promise((resolve) => redisServer.once('exit', resolve));
    redisServer.kill('SIGKILL');
    await exited;
    const errorsBefore = await counterValue(service, 'auth_token_cache_total', 'error');
    const user = await signUpUser();

    const { session } = await client.verifyToken(user.idToken);
    const readyz = await fetch(`http://127.0.0.1:${service.httpPort}/readyz`);

    expect(session?.uid).toBe(user.uid);
    // Without the session state the newest-token rule cannot be checked, so the level is capped.
    expect(session?.level).toBe(AuthLevel.AUTH_LEVEL_AUTHORIZED);
    expect(await counterValue(service, 'auth_token_cache_total', 'error')).toBeGreaterThan(errorsBefore);
    expect(readyz.status).toBe(200);
    expect(await readyz.json()).toMatchObject({ status: 'degraded', checks: { redis: { status: 'down' } } });
  });
});
