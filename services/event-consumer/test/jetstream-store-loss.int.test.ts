import { Health, Metrics, createMysqlPool, type MysqlPool } from '@testbed/service-kit';
import { BackgroundOutboxRelay, migrateOutbox, outboxProgress, topologyWithPrefix, writeToOutbox } from '@testbed/service-kit/events';
import { readStats } from '../src/adapters/redis/stats-keys.js';
import { freePort, privateNatsServer, waitFor, type PrivateNatsServer } from '@testbed/service-kit/testing';
import { loadConfig } from '@testbed/service-kit';
import { randomBytes } from 'node:crypto';
import type { RowDataPacket } from 'mysql2/promise';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { configSchema } from '../src/config.js';
import { startService, type RunningEventConsumer } from '../src/service.js';
import { messagePosted } from './support/event-bus.contract.js';
import { REDIS_URL } from './support/stream-fixture.js';
import { testLogger } from './support/test-logger.js';
import { createTestDatabase, type TestDatabase } from '@testbed/service-kit/testing';

// Everything on a private nats-server: this test wipes its store, which must never happen to the shared one.
const prefix = `store_loss_${randomBytes(4).toString('hex')}`;
const topology = topologyWithPrefix(prefix);
const statsPrefix = `test:${prefix}:stats`;

let nats: PrivateNatsServer;
let database: TestDatabase;
let pool: MysqlPool;
let redis: Redis;
let consumer: RunningEventConsumer;
let relay: BackgroundOutboxRelay;
/** The producer side's readiness, as public-api and secure-api register it. */
const producerHealth = new Health(testLogger);

beforeAll(async () => {
  nats = await privateNatsServer();
  await nats.start();
  database = await createTestDatabase('store_loss');
  await migrateOutbox(database.url, testLogger);
  pool = createMysqlPool(database.url, { connectionLimit: 4 });
  redis = new Redis(REDIS_URL);
  consumer = await startService(
    loadConfig(configSchema, {
      PORT: String(await freePort()),
      MYSQL_URL: database.url,
      REDIS_URL,
      NATS_URL: nats.url,
      EVENT_TOPOLOGY_PREFIX: prefix,
      STATS_PREFIX: statsPrefix,
    }),
    { logger: testLogger },
  );
  relay = new BackgroundOutboxRelay({ natsUrl: nats.url, name: 'store-loss-test', pool, logger: testLogger, topology, pollIntervalMs: 200 });
  producerHealth.addCheck({ name: 'outbox', critical: false, probe: outboxProgress(pool, { metrics: new Metrics('producer'), stallAfterS: 1 }) });
});

afterAll(async () => {
  await relay?.stop();
  await consumer?.stop();
  await pool?.end();
  if (redis) {
    const keys = await redis.keys(`${statsPrefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
  await database?.drop();
  await nats?.dispose();
});

/** One accepted write: a committed outbox row, as public-api commits with a message. */
async function write(count: number): Promise<string[]> {
  const events = Array.from({ length: count }, () => messagePosted());
  await writeToOutbox(pool, events);
  relay.nudge();
  return events.map((event) => event.id);
}

async function activityCount(): Promise<number> {
  const [rows] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n, COUNT(DISTINCT event_id) AS d FROM activity');
  expect(Number(rows[0]?.['n'])).toBe(Number(rows[0]?.['d']));
  return Number(rows[0]?.['n']);
}

const readiness = async (port: number) => (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as { status: string };

it('when JetStream restarts with an empty store, then writes keep being accepted, stream and consumers come back, every event is applied exactly once, and readiness reports the stall while it lasts', async () => {
  const before = await write(10);
  await waitFor(async () => (await activityCount()) === 10, { what: 'the first events applied' });
  expect((await producerHealth.readiness()).status).toBe('ready');

  await nats.stop();
  await nats.wipeStore();
  const during = await write(10);
  // The outbox signal: delivery is stuck even though the writes succeed.
  await waitFor(async () => (await producerHealth.readiness()).checks['outbox']?.status === 'down', {
    what: 'readiness reports the outbox stalled',
  });
  expect((await producerHealth.readiness()).status).toBe('degraded');
  expect((await readiness(consumer.port)).status).toBe('not-ready');

  await nats.start();
  const after = await write(10);

  const all = [...before, ...during, ...after];
  await waitFor(async () => (await activityCount()) === all.length, { what: 'every event applied', timeoutMs: 60_000 });
  await waitFor(async () => (await readStats(redis, statsPrefix)).messages === all.length, { what: 'every event counted', timeoutMs: 30_000 });
  await waitFor(async () => (await producerHealth.readiness()).status === 'ready', { what: 'the producer ready again' });
  await waitFor(async () => (await readiness(consumer.port)).status === 'ready', { what: 'the consumer ready again' });
  expect(await activityCount()).toBe(all.length);
  expect((await readStats(redis, statsPrefix)).messages).toBe(all.length);

  const metrics = await consumer.metrics.registry.metrics();
  expect(metrics).toMatch(/event_consumer_pending\{[^}]*consumer="activity-feed"[^}]*\} 0/);
}, 120_000);
