import { jetstream } from '@nats-io/jetstream';
import { createEvent, listDeadLetters, subjectForType, type CloudEvent } from '@testbed/service-kit/events';
import { readStats } from '../src/adapters/redis/stats-keys.js';
import { waitFor } from '@testbed/service-kit/testing';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startService, type RunningEventConsumer } from '../src/service.js';
import { messagePosted } from './support/event-bus.contract.js';
import { consumerConfigFor } from './support/consumer-config.js';
import { streamFixture } from './support/stream-fixture.js';
import { testLogger } from './support/test-logger.js';

const fx = streamFixture('permanent_errors');
const { topology } = fx;
let service: RunningEventConsumer;

async function publish(events: readonly CloudEvent[]): Promise<void> {
  const js = jetstream(fx.nc);
  for (const event of events) {
    await js.publish(subjectForType(event.type, topology.subjectPrefix), JSON.stringify(event), { msgID: event.id });
  }
}

const rowsFor = async (eventId: string) => {
  const [rows] = await fx.pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM activity WHERE event_id = ?', [eventId]);
  return Number(rows[0]?.['n']);
};

const lettersFor = async (eventId: string) => (await listDeadLetters(fx.nc, { topology })).filter((letter) => letter.eventId === eventId);

beforeAll(async () => {
  const config = await consumerConfigFor(fx, {
    // Long enough that five deliveries could not all happen while the test waits for the first letter.
    EVENT_RETRY_BACKOFF_MS: '2000',
  });
  service = await startService(config, { logger: testLogger });
});

afterAll(async () => {
  await service?.stop();
});

it('when an event cannot be stored in the activity feed, then both consumers dead-letter it on its first delivery and neither read model counts it', async () => {
  const before = await readStats(fx.redis, fx.statsPrefix);
  // A valid CloudEvents time whose UTC instant is before year 0: no DATETIME column can hold it.
  const unstorable = { ...messagePosted('from before the calendar'), time: '0000-01-01T00:00:00+01:00' };
  const healthy = Array.from({ length: 5 }, () => messagePosted());
  await publish([unstorable, ...healthy]);

  await waitFor(async () => (await lettersFor(unstorable.id)).length === 2, { what: 'both consumers dead-letter it' });
  await waitFor(fx.settled, { what: 'the healthy events' });

  const letters = await lettersFor(unstorable.id);
  expect(letters.map((l) => [l.consumer, l.deliveries, l.kind]).sort()).toEqual([
    ['activity-feed', 1, 'permanent'],
    ['stats', 1, 'permanent'],
  ]);
  expect(letters[0]!.error).toContain('does not fit the read models');
  expect(await rowsFor(unstorable.id)).toBe(0);
  for (const event of healthy) expect(await rowsFor(event.id)).toBe(1);
  expect((await readStats(fx.redis, fx.statsPrefix)).messages).toBe(before.messages + healthy.length);
});

it('when MySQL refuses a value with a data error, then the event is dead-lettered on its first delivery with that error', async () => {
  // The table drifted from the read-model limits (a bad manual migration, say): the check before
  // applying passes, MySQL says "Data too long".
  await fx.pool.query('ALTER TABLE activity MODIFY actor_uid VARCHAR(8) NULL');
  const tooLong = createEvent({
    type: 'testbed.profile.updated',
    source: '/secure-api',
    data: { uid: 'a-uid-longer-than-the-drifted-column', displayName: 'Ada' },
  });
  try {
    await publish([tooLong]);
    await waitFor(async () => (await lettersFor(tooLong.id)).length === 1, { what: 'the dead letter' });
  } finally {
    await fx.pool.query('ALTER TABLE activity MODIFY actor_uid VARCHAR(128) NULL');
  }
  const [letter] = await lettersFor(tooLong.id);
  expect(letter).toMatchObject({ consumer: 'activity-feed', deliveries: 1, kind: 'permanent' });
  expect(letter!.error).toMatch(/Data too long/);
});
