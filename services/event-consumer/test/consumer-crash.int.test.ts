import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connectNats, createMysqlPool, type MysqlPool, type NatsConnection } from '@testbed/service-kit';
import {
  ensureEventStream,
  readStats,
  subjectForType,
  topologyWithPrefix,
} from '@testbed/service-kit/events';
import {
  createTestDatabase,
  freePort,
  httpOk,
  startServiceProcess,
  waitFor,
  type ServiceProcess,
  type TestDatabase,
} from '@testbed/service-kit/testing';
import { Redis } from 'ioredis';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { messagePosted } from './support/event-bus.contract.js';
import { testLogger } from './support/test-logger.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const NATS_URL = process.env['TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';
const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const EVENTS = 2_000;

const prefix = `crash_${randomBytes(4).toString('hex')}`;
const topology = topologyWithPrefix(prefix);
const statsPrefix = `test:${prefix}:stats`;
let database: TestDatabase;
let pool: MysqlPool;
let redis: Redis;
let nc: NatsConnection;
let jsm: JetStreamManager;
const processes: ServiceProcess[] = [];

async function startConsumer(): Promise<{ service: ServiceProcess; port: number }> {
  const port = await freePort();
  const service = startServiceProcess(packageDir, {
    PORT: String(port),
    MYSQL_URL: database.url,
    REDIS_URL,
    NATS_URL,
    EVENT_TOPOLOGY_PREFIX: prefix,
    STATS_PREFIX: statsPrefix,
    // Events pulled by the killed process come back after ack_wait; 30 s would only slow the test down.
    EVENT_ACK_WAIT_S: '3',
    LOG_LEVEL: 'warn',
  });
  processes.push(service);
  await waitFor(() => httpOk(`http://127.0.0.1:${port}/readyz`), {
    what: `event-consumer ready\n${service.output()}`,
    timeoutMs: 30_000,
  });
  return { service, port };
}

const activityRows = async () => {
  const [rows] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM activity');
  return Number(rows[0]?.['n']);
};

/** Nothing left to deliver or waiting for an ack, for both consumers. */
async function settled(): Promise<boolean> {
  for (const consumer of ['activity-feed', 'stats']) {
    const info = await jsm.consumers.info(topology.stream, consumer);
    if (info.num_pending > 0 || info.num_ack_pending > 0) return false;
  }
  return true;
}

beforeAll(async () => {
  database = await createTestDatabase('consumer_crash');
  pool = createMysqlPool(database.url, { connectionLimit: 2 });
  redis = new Redis(REDIS_URL);
  nc = await connectNats(NATS_URL, 'consumer-crash-test', testLogger);
  jsm = await jetstreamManager(nc);
  await ensureEventStream(jsm, { topology });
});

afterAll(async () => {
  for (const service of processes) await service.stop('SIGKILL');
  await jsm?.streams.delete(topology.stream).catch(() => undefined);
  await jsm?.streams.delete(topology.dlqStream).catch(() => undefined);
  await nc?.drain();
  const keys = await redis.keys(`${statsPrefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis?.disconnect();
  await pool?.end();
  await database?.drop();
});

it('when the consumer is killed with SIGKILL mid-stream and restarted, then every event is applied exactly once', async () => {
  const first = await startConsumer();
  const before = await readStats(redis, statsPrefix);

  const js = jetstream(nc);
  const subject = subjectForType('testbed.message.posted', topology.subjectPrefix);
  for (let batch = 0; batch < EVENTS / 100; batch += 1) {
    await Promise.all(
      Array.from({ length: 100 }, () => {
        const event = messagePosted();
        return js.publish(subject, JSON.stringify(event), { msgID: event.id });
      }),
    );
  }

  await waitFor(async () => (await activityRows()) >= 100, { what: 'the consumer to get going' });
  await first.service.stop('SIGKILL');
  const rowsAtKill = await activityRows();
  expect(rowsAtKill, 'the kill must land while events are still in flight').toBeLessThan(EVENTS);

  const second = await startConsumer();
  await waitFor(settled, { what: 'both consumers to settle every event', timeoutMs: 90_000, intervalMs: 250 });

  expect(await activityRows()).toBe(EVENTS);
  const after = await readStats(redis, statsPrefix);
  expect(after.messages - before.messages).toBe(EVENTS);

  // A graceful stop drains and exits cleanly.
  expect(await second.service.stop('SIGTERM')).toBe(0);
}, 180_000);
