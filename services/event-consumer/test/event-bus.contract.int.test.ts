import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connectNats, createMysqlPool } from '@testbed/service-kit';
import {
  JetStreamEventSubscriber,
  MemoryEventBus,
  MysqlOutbox,
  OutboxRelay,
  ensureEventStream,
  listDeadLetters,
  migrateOutbox,
  topologyWithPrefix,
} from '@testbed/service-kit/events';
import { createTestDatabase } from '@testbed/service-kit/testing';
import { jetstream } from '@nats-io/jetstream';
import { eventBusContract } from './support/event-bus.contract.js';
import { testLogger } from './support/test-logger.js';

const NATS_URL = process.env['TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';

eventBusContract('in-memory', async (options) => {
  const bus = new MemoryEventBus({ logger: testLogger, ...options });
  return {
    outbox: bus,
    subscriber: bus,
    deadLetteredIds: async (consumer) => bus.deadLetters.filter((letter) => letter.consumer === consumer).map((letter) => letter.event.id),
    dispose: () => bus.stop(),
  };
});

eventBusContract('MySQL outbox + JetStream', async (options) => {
  const database = await createTestDatabase('event_bus_contract');
  await migrateOutbox(database.url, testLogger);
  const pool = createMysqlPool(database.url, { connectionLimit: 4 });
  const nc = await connectNats(NATS_URL, 'event-bus-contract', testLogger);
  const jsm = await jetstreamManager(nc);
  // A stream per test: the shared server never mixes these events with another file's.
  const topology = topologyWithPrefix(`contract_${randomBytes(4).toString('hex')}`);
  await ensureEventStream(jsm, { topology });
  const relay = new OutboxRelay({ pool, js: jetstream(nc), logger: testLogger, topology, pollIntervalMs: 200 });
  relay.start();
  const subscriber = new JetStreamEventSubscriber({ nc, logger: testLogger, topology, ...options });
  return {
    outbox: new MysqlOutbox(pool, relay),
    subscriber,
    deadLetteredIds: async (consumer) => (await listDeadLetters(nc, { topology, consumer })).map((letter) => letter.eventId ?? ''),
    dispose: async () => {
      await relay.stop();
      await jsm.streams.delete(topology.stream);
      await jsm.streams.delete(topology.dlqStream);
      await nc.drain();
      await pool.end();
      await database.drop();
    },
  };
});
