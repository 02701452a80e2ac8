import { randomBytes } from 'node:crypto';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connectNats, type MysqlPool, type NatsConnection } from '@testbed/service-kit';
import { ensureEventStream, topologyWithPrefix, type EventTopology } from '@testbed/service-kit/events';
import { createTestPool, type TestPool } from '@testbed/service-kit/testing';
import { Redis } from 'ioredis';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll } from 'vitest';
import { testLogger } from './test-logger.js';

export const NATS_URL = process.env['TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';
export const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

interface Connections {
  database: TestPool;
  pool: MysqlPool;
  redis: Redis;
  nc: NatsConnection;
  jsm: JetStreamManager;
}

/** What a file's consumers run against: read the connections inside tests (they are set by its beforeAll). */
export interface StreamFixture extends Readonly<Connections> {
  /** EVENT_TOPOLOGY_PREFIX for the service under test. */
  readonly prefix: string;
  readonly topology: EventTopology;
  /** STATS_PREFIX for the service under test. */
  readonly statsPrefix: string;
  /** Rows in the activity feed's table. */
  activityRows(): Promise<number>;
  /** Nothing left to deliver or waiting for an ack, for both consumers. */
  settled(): Promise<boolean>;
}

/**
 * For the test file: a database, stream and stats keys of its own on the shared MariaDB, NATS and
 * Redis, made before the first test and removed after the last.
 */
export function streamFixture(label: string): StreamFixture {
  const prefix = `${label}_${randomBytes(4).toString('hex')}`;
  const topology = topologyWithPrefix(prefix);
  const statsPrefix = `test:${prefix}:stats`;
  // Filled one by one, so a failed start still cleans up what it made.
  const made: Partial<Connections> = {};
  const get = <K extends keyof Connections>(key: K): Connections[K] => {
    const value = made[key];
    if (value === undefined) throw new Error(`${key} is not set up yet: read it inside a test`);
    return value;
  };

  beforeAll(async () => {
    made.database = await createTestPool(label, { connectionLimit: 2 });
    made.pool = made.database.pool;
    made.redis = new Redis(REDIS_URL);
    made.nc = await connectNats(NATS_URL, `${label}-test`, testLogger);
    made.jsm = await jetstreamManager(made.nc);
    await ensureEventStream(made.jsm, { topology });
  });

  afterAll(async () => {
    await made.jsm?.streams.delete(topology.stream).catch(() => undefined);
    await made.jsm?.streams.delete(topology.dlqStream).catch(() => undefined);
    await made.nc?.drain();
    if (made.redis) {
      const keys = await made.redis.keys(`${statsPrefix}:*`);
      if (keys.length > 0) await made.redis.del(...keys);
      made.redis.disconnect();
    }
    await made.database?.drop();
  });

  return {
    prefix,
    topology,
    statsPrefix,
    get database() {
      return get('database');
    },
    get pool() {
      return get('pool');
    },
    get redis() {
      return get('redis');
    },
    get nc() {
      return get('nc');
    },
    get jsm() {
      return get('jsm');
    },
    activityRows: async () => {
      const [rows] = await get('pool').query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM activity');
      return Number(rows[0]?.['n']);
    },
    settled: async () => {
      for (const consumer of ['activity-feed', 'stats']) {
        const info = await get('jsm').consumers.info(topology.stream, consumer);
        if (info.num_pending > 0 || info.num_ack_pending > 0) return false;
      }
      return true;
    },
  };
}
