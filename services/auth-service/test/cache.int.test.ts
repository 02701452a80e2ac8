import { AuthLevel } from '@testbed/protos/auth/v1';
import { privateRedisServer, signUpUser, type PrivateRedisServer } from '@testbed/service-kit/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAuthService } from '../src/service.js';
import { counterValue, generatedClient, serviceForSuite, startTestService, TEST_REDIS_URL } from './helpers.js';

const VERIFICATIONS = 'auth_firebase_verifications_total';
const CACHE = 'auth_token_cache_total';

describe('verification cache in Redis', () => {
  const suite = serviceForSuite({ sharedRedis: true });

  it('when the same token is verified twice, then Firebase is asked only once', async () => {
    const user = await signUpUser();
    const before = await counterValue(suite.service, VERIFICATIONS, 'ok');
    const hitsBefore = await counterValue(suite.service, CACHE, 'hit');

    const first = await suite.client.verifyToken(user.idToken);
    const second = await suite.client.verifyToken(user.idToken);

    expect(await counterValue(suite.service, VERIFICATIONS, 'ok')).toBe(before + 1);
    expect(await counterValue(suite.service, CACHE, 'hit')).toBe(hitsBefore + 1);
    expect(second.session).toEqual(first.session);
  });

  it('when check_revoked is set, then the cache is bypassed and Firebase is asked every time', async () => {
    const user = await signUpUser();
    await suite.client.verifyToken(user.idToken);
    const before = await counterValue(suite.service, VERIFICATIONS, 'ok');
    const bypassBefore = await counterValue(suite.service, CACHE, 'bypass');

    await suite.client.verifyToken(user.idToken, true);
    await suite.client.verifyToken(user.idToken, true);

    expect(await counterValue(suite.service, VERIFICATIONS, 'ok')).toBe(before + 2);
    expect(await counterValue(suite.service, CACHE, 'bypass')).toBe(bypassBefore + 2);
  });

  it('when a token is cached, then Redis holds its hash and claims, never the token', async () => {
    const user = await signUpUser();
    await suite.client.verifyToken(user.idToken);
    const redis = new Redis(TEST_REDIS_URL);

    const keys = await redis.keys(`${suite.prefix}token:*`);
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
    const text = await (await fetch(`http://127.0.0.1:${suite.service.port}/metrics`)).text();

    expect(text).toMatch(/auth_firebase_verifications_total\{result="ok",service="auth-service"\} \d+/);
    expect(text).toMatch(/auth_token_cache_total\{result="hit",service="auth-service"\} \d+/);
  });
});

describe('when Redis goes away', () => {
  let redisServer: PrivateRedisServer;
  let service: RunningAuthService;
  let client: ReturnType<typeof generatedClient>;

  beforeAll(async () => {
    redisServer = await privateRedisServer();
    await redisServer.start();
    service = await startTestService({ REDIS_URL: redisServer.url });
    client = generatedClient(service);
  });

  afterAll(async () => {
    client.close();
    await service.stop();
    await redisServer.stop('SIGKILL');
  });

  it('then verification still works, the cache errors are counted and /readyz says degraded', async () => {
    const before = await signUpUser();
    await client.verifyToken(before.idToken);
    const ready = await (await fetch(`http://127.0.0.1:${service.port}/readyz`)).json();
    expect(ready).toMatchObject({ status: 'ready', checks: { redis: { status: 'up' } } });

    await redisServer.stop('SIGKILL');
    const errorsBefore = await counterValue(service, 'auth_token_cache_total', 'error');
    const user = await signUpUser();

    const { session } = await client.verifyToken(user.idToken);
    const readyz = await fetch(`http://127.0.0.1:${service.port}/readyz`);

    expect(session?.uid).toBe(user.uid);
    // Without the session state the newest-token rule cannot be checked, so the level is capped.
    expect(session?.level).toBe(AuthLevel.AUTH_LEVEL_AUTHORIZED);
    expect(await counterValue(service, 'auth_token_cache_total', 'error')).toBeGreaterThan(errorsBefore);
    expect(readyz.status).toBe(200);
    expect(await readyz.json()).toMatchObject({ status: 'degraded', checks: { redis: { status: 'down' } } });
  });
});
