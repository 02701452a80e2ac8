import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connectNats, type MysqlPool, type NatsConnection } from '@testbed/service-kit';
import { OutboxRelay, ensureEventStream, migrateOutbox, topologyWithPrefix, writeToOutbox, type EventTopology } from '@testbed/service-kit/events';
import { createTestPool, privateNatsServer, waitFor, type PrivateNatsServer, type TestPool } from '@testbed/service-kit/testing';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { messagePosted } from './support/event-bus.contract.js';
import { testLogger } from './support/test-logger.js';

const SHARED_NATS_URL = process.env['TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';

let database: TestPool;
let pool: MysqlPool;
const relays: OutboxRelay[] = [];

beforeAll(async () => {
  database = await createTestPool('outbox_relay', {
    prepare: (url) => migrateOutbox(url, testLogger),
    connectionLimit: 12,
  });
  pool = database.pool;
});

afterEach(async () => {
  await Promise.all(relays.splice(0).map((relay) => relay.stop()));
  await pool.query('DELETE FROM outbox');
});

afterAll(() => database?.drop());

/** One message posted = one short transaction, like a request to public-api. */
async function commitEvents(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const event = messagePosted(`message ${i}`);
    const connection = await pool.getConnection();
    try {
      await connection.beginTransaction();
      await writeToOutbox(connection, [event]);
      await connection.commit();
    } finally {
      connection.release();
    }
    ids.push(event.id);
  }
  return ids;
}

/** Every event id stored in the stream, in stream order (duplicates included, if JetStream kept any). */
async function storedEventIds(jsm: JetStreamManager, topology: EventTopology): Promise<string[]> {
  const { state } = await jsm.streams.info(topology.stream);
  const ids: string[] = [];
  for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq += 1) {
    const msg = await jsm.streams.getMessage(topology.stream, { seq });
    if (msg) ids.push(msg.json<{ id: string }>().id);
  }
  return ids;
}

const pendingRows = async () => {
  const [rows] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL');
  return Number(rows[0]?.['n']);
};

describe('outbox relay', () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let topology: EventTopology;

  beforeAll(async () => {
    nc = await connectNats(SHARED_NATS_URL, 'outbox-relay-test', testLogger);
    jsm = await jetstreamManager(nc);
  });

  afterEach(async () => {
    await jsm.streams.delete(topology.stream).catch(() => undefined);
    await jsm.streams.delete(topology.dlqStream).catch(() => undefined);
  });

  afterAll(async () => {
    await nc?.drain();
  });

  const startRelays = async (count: number) => {
    topology = topologyWithPrefix(`relay_${randomBytes(4).toString('hex')}`);
    await ensureEventStream(jsm, { topology });
    for (let i = 0; i < count; i += 1) {
      const relay = new OutboxRelay({ pool, js: jetstream(nc), logger: testLogger, topology, pollIntervalMs: 100, batchSize: 25 });
      relays.push(relay);
      relay.start();
    }
  };

  it('when a transaction rolls back, then its events are never published', async () => {
    await startRelays(1);
    const rolledBack = messagePosted('never happened');
    const connection = await pool.getConnection();
    try {
      await connection.beginTransaction();
      await writeToOutbox(connection, [rolledBack]);
      await connection.rollback();
    } finally {
      connection.release();
    }
    const [committed] = await commitEvents(1);
    relays[0]!.nudge();

    await waitFor(async () => (await storedEventIds(jsm, topology)).length === 1, { what: 'committed event published' });
    expect(await storedEventIds(jsm, topology)).toEqual([committed]);
  });

  it('when three relays share the outbox, then every row is claimed and published by exactly one of them', async () => {
    await startRelays(3);
    const ids = await commitEvents(300);

    await waitFor(async () => (await pendingRows()) === 0, { what: 'outbox drained', timeoutMs: 30_000 });
    const [rows] = await pool.query<RowDataPacket[]>('SELECT attempts, COUNT(*) AS n FROM outbox GROUP BY attempts');
    expect(rows.map((r) => [Number(r['attempts']), Number(r['n'])])).toEqual([[1, 300]]);
    expect((await storedEventIds(jsm, topology)).sort()).toEqual([...ids].sort());
  });

  it('when a sent row is published again (a crash before it was marked sent), then JetStream drops the duplicate', async () => {
    await startRelays(1);
    const ids = await commitEvents(20);
    await waitFor(async () => (await pendingRows()) === 0, { what: 'first publish' });

    await pool.query('UPDATE outbox SET sent_at = NULL');
    relays[0]!.nudge();
    await waitFor(async () => (await pendingRows()) === 0, { what: 'second publish' });

    const [rows] = await pool.query<RowDataPacket[]>('SELECT MIN(attempts) AS fewest FROM outbox');
    expect(Number(rows[0]?.['fewest'])).toBe(2);
    expect((await storedEventIds(jsm, topology)).sort()).toEqual([...ids].sort());
  });
});

describe('outbox relay while NATS is down', () => {
  let server: PrivateNatsServer;
  let nc: NatsConnection | undefined;

  beforeAll(async () => {
    server = await privateNatsServer();
    await server.start();
  });

  afterAll(async () => {
    await nc?.close();
    await server?.dispose();
  });

  it('when 200 events are written during an outage, then all 200 are delivered exactly once after NATS returns', async () => {
    nc = await connectNats(server.url, 'outbox-outage-test', testLogger);
    const topology = topologyWithPrefix('outage');
    await ensureEventStream(await jetstreamManager(nc), { topology });
    for (let i = 0; i < 2; i += 1) {
      const relay = new OutboxRelay({
        pool,
        js: jetstream(nc),
        logger: testLogger,
        topology,
        pollIntervalMs: 100,
        publishTimeoutMs: 500,
        minBackoffMs: 100,
        maxBackoffMs: 500,
      });
      relays.push(relay);
      relay.start();
    }
    await server.stop();

    // Every write commits although NATS is gone: the outbox holds the events.
    const ids = await commitEvents(200);
    for (const relay of relays) relay.nudge();
    await waitFor(
      async () => {
        const [rows] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM outbox WHERE last_error IS NOT NULL');
        return Number(rows[0]?.['n']) > 0;
      },
      { what: 'the relay to fail against the stopped server' },
    );
    expect(await pendingRows()).toBe(200);

    await server.start();

    await waitFor(async () => (await pendingRows()) === 0, { what: 'outbox drained after NATS returned', timeoutMs: 60_000 });
    const jsm = await jetstreamManager(nc);
    await waitFor(async () => (await jsm.streams.info(topology.stream)).state.messages >= 200, { what: 'stream filled' });
    expect((await storedEventIds(jsm, topology)).sort()).toEqual([...ids].sort());
  }, 120_000);
});
