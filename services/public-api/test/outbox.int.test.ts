import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { topologyWithPrefix, type CloudEvent } from '@testbed/service-kit/events';
import { createTestDatabase, privateNatsServer, waitFor, type TestDatabase } from '@testbed/service-kit/testing';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningPublicApi } from '../src/service.js';
import { postJson, startTestApi, uniqueClientIp, uniqueToken } from './helpers.js';

const cleanup: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
});

async function pendingOutboxRows(db: TestDatabase): Promise<number> {
  const connection = await createConnection(db.url);
  try {
    const [rows] = await connection.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL');
    return Number(rows[0]?.['n']);
  } finally {
    await connection.end();
  }
}

/** Every event in the stream, read with an ordered consumer from the first message. */
async function readStream(natsUrl: string, stream: string): Promise<{ events: CloudEvent[]; subjects: Set<string> }> {
  const nc: NatsConnection = await connect({ servers: natsUrl });
  try {
    const { state } = await (await jetstreamManager(nc)).streams.info(stream);
    const consumer = await jetstream(nc).consumers.get(stream);
    const messages = await consumer.fetch({ max_messages: state.messages, expires: 10_000 });
    const events: CloudEvent[] = [];
    const subjects = new Set<string>();
    for await (const message of messages) {
      const event = message.json<CloudEvent>();
      // The de-duplication key JetStream used must be the event id.
      expect(message.headers?.get('Nats-Msg-Id')).toBe(event.id);
      events.push(event);
      subjects.add(message.subject);
      if (events.length === state.messages) break;
    }
    return { events, subjects };
  } finally {
    await nc.close();
  }
}

async function postMany(api: RunningPublicApi, count: number, label: string): Promise<string[]> {
  const ip = uniqueClientIp();
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await postJson(api, '/api/public/messages', { text: `${label} ${i}` }, { ip });
    expect(response.status).toBe(201);
    ids.push(((await response.json()) as { id: string }).id);
  }
  return ids;
}

const messageIdsOf = (events: readonly CloudEvent[]) => events.map((event) => (event.data as { messageId: string }).messageId);

/**
 * A database, a private NATS (started only when `natsUp`) and a service on both, with a topology
 * of their own; all removed after the file.
 */
async function outboxSetup(label: string, natsUp: boolean) {
  const db = await createTestDatabase(`public_api_${label}`);
  cleanup.push(() => db.drop());
  const nats = await privateNatsServer();
  cleanup.push(() => nats.dispose());
  const topology = topologyWithPrefix(`pa_${label}_${uniqueToken()}`);
  if (natsUp) await nats.start();
  const api: RunningPublicApi = await startTestApi(
    { MYSQL_URL: db.url, NATS_URL: nats.url, RATE_LIMIT_PER_MINUTE: '1000' },
    { topology, relayPollIntervalMs: 200 },
  );
  cleanup.push(() => api.stop());
  return { db, nats, topology, api };
}

describe('transactional outbox', () => {
  it(
    'when NATS is unreachable, then 200 posts all succeed and, once NATS is up, each event reaches the stream exactly once',
    { timeout: 120_000 },
    async () => {
      // Nothing listens on the NATS port yet: the service starts, and takes writes, during the outage.
      const { db, nats, topology, api } = await outboxSetup('outbox', false);

      const posted = await postMany(api, 200, 'outbox');
      expect(await pendingOutboxRows(db)).toBe(200);

      await nats.start();
      await waitFor(async () => (await pendingOutboxRows(db)) === 0, {
        timeoutMs: 60_000,
        what: 'the relay to publish every pending event',
      });

      const { events, subjects } = await readStream(nats.url, topology.stream);
      expect(events).toHaveLength(200);
      expect(subjects).toEqual(new Set([`${topology.subjectPrefix}.message.posted`]));
      expect(events.every((event) => event.type === 'testbed.message.posted')).toBe(true);
      expect(new Set(events.map((event) => event.id)).size).toBe(200);
      expect(messageIdsOf(events).sort()).toEqual([...posted].sort());
    },
  );

  it('when NATS goes away after the relay connected, then posts keep succeeding and every event arrives once NATS is back', { timeout: 120_000 }, async () => {
    const { db, nats, topology, api } = await outboxSetup('outage', true);

    const before = await postMany(api, 10, 'before');
    await waitFor(async () => (await pendingOutboxRows(db)) === 0, { what: 'the first events to be published' });

    await nats.stop();
    const during = await postMany(api, 50, 'during');

    await nats.start();
    await waitFor(async () => (await pendingOutboxRows(db)) === 0, {
      timeoutMs: 60_000,
      what: 'the relay to publish the events written during the outage',
    });

    const { events } = await readStream(nats.url, topology.stream);
    expect(events).toHaveLength(60);
    expect(new Set(events.map((event) => event.id)).size).toBe(60);
    expect(messageIdsOf(events).sort()).toEqual([...before, ...during].sort());
  });

  it('when EVENT_TOPOLOGY_PREFIX is set in its environment, then its events go to the stream derived from that prefix', { timeout: 60_000 }, async () => {
    const db = await createTestDatabase('public_api_prefix');
    cleanup.push(() => db.drop());
    const nats = await privateNatsServer();
    cleanup.push(() => nats.dispose());
    await nats.start();
    const prefix = `pa_env_${uniqueToken()}`;
    const api: RunningPublicApi = await startTestApi({ MYSQL_URL: db.url, NATS_URL: nats.url, EVENT_TOPOLOGY_PREFIX: prefix }, { relayPollIntervalMs: 200 });
    cleanup.push(() => api.stop());
    const posted = await postMany(api, 3, 'prefix');
    await waitFor(async () => (await pendingOutboxRows(db)) === 0, { what: 'the relay to publish the events' });
    const { events, subjects } = await readStream(nats.url, topologyWithPrefix(prefix).stream);
    expect(messageIdsOf(events).sort()).toEqual([...posted].sort());
    expect(subjects).toEqual(new Set([`${topologyWithPrefix(prefix).subjectPrefix}.message.posted`]));
  });
});
