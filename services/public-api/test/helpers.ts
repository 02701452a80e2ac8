import { randomBytes } from 'node:crypto';
import { freePort, startEventConsumerProcess, waitFor, type EventConsumerProcess } from '@testbed/service-kit/testing';
import { afterAll } from 'vitest';
import { loadPublicApiConfig } from '../src/config.js';
import { startService, type PublicApiOptions, type RunningPublicApi } from '../src/service.js';

export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A short random token for key prefixes, stream names and client addresses no other test uses. */
export const uniqueToken = () => randomBytes(4).toString('hex');

/** A client address of its own, sent as X-Forwarded-For (the test stands in for the one trusted proxy), so rate limits never collide. */
export function uniqueClientIp(): string {
  const [a, b, c] = randomBytes(3);
  return `10.${a}.${b}.${Math.max(1, c ?? 1)}`;
}

let readModels: Promise<EventConsumerProcess> | undefined;

/**
 * The owner of the activity feed and stats, event-consumer, in its own process in its in-memory
 * mode, following an event log of its own: one per test file, started on first use.
 */
export function testReadModels(): Promise<EventConsumerProcess> {
  readModels ??= startEventConsumerProcess();
  return readModels;
}

afterAll(async () => {
  await (await readModels?.catch(() => undefined))?.stop();
});

/**
 * The service in this process on a free port, with the environment a deployment would give it.
 * Unless `env` names READ_MODELS_URL, its feed and stats come from this file's `testReadModels()`,
 * and without MYSQL_URL its events go to that event-consumer's log, so posts reach the feed.
 * With REDIS_URL it resolves once Redis is connected: the client fails fast instead of queueing,
 * so writes made before that would not be counted by the rate limit.
 */
export async function startTestApi(env: Record<string, string | undefined>, options: PublicApiOptions = {}): Promise<RunningPublicApi> {
  const owner = 'READ_MODELS_URL' in env ? {} : (await testReadModels()).producerEnv;
  const config = loadPublicApiConfig({
    ...owner,
    PORT: '0',
    INTERNAL_PORT: '0',
    // No auth-service unless a test starts one: never whichever happens to hold the default port.
    AUTH_GRPC_ADDR: `127.0.0.1:${await freePort()}`,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    // The tests play the gateway: one trusted hop, so each test's X-Forwarded-For is its client address.
    TRUSTED_PROXY_HOPS: '1',
    ...env,
  });
  const api = await startService(config, {
    host: '127.0.0.1',
    redisKeyPrefix: `test:${uniqueToken()}:ratelimit:`,
    ...options,
  });
  if (config.REDIS_URL) {
    await waitFor(async () => (await api.health.readiness()).checks['redis']?.status === 'up', {
      what: 'the Redis connection',
    });
  }
  return api;
}

export interface PostOptions {
  readonly ip?: string;
  readonly headers?: Record<string, string>;
}

export function postJson(api: RunningPublicApi, path: string, body: unknown, options: PostOptions = {}) {
  return fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.ip ? { 'x-forwarded-for': options.ip } : {}),
      ...options.headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
