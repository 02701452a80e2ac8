import { randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import { createEvent, migrateOutbox, subjectForType, writeToOutbox, type CloudEvent } from '@testbed/service-kit/events';
import { readStats } from '../src/adapters/redis/stats-keys.js';
import { activityLimits } from '../src/domain/read-models.js';
import { waitFor } from '@testbed/service-kit/testing';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startService, type RunningEventConsumer } from '../src/service.js';
import { consumerConfigFor } from './support/consumer-config.js';
import { streamFixture } from './support/stream-fixture.js';
import { testLogger } from './support/test-logger.js';

const fx = streamFixture('columns');
let service: RunningEventConsumer;

// At the schema's maximum in UTF-16 units (its measure): with astral characters, which take 4
// bytes, or all in the BMP, which makes the most characters.
const atMax = (prefix: string, max: number) => (prefix + '😀'.repeat(Math.floor((max - prefix.length) / 2))).padEnd(max, 'ü');
const bmpAtMax = (prefix: string, max: number) => prefix.padEnd(max, 'ü');

beforeAll(async () => {
  const config = await consumerConfigFor(fx);
  service = await startService(config, { logger: testLogger });
});

afterAll(async () => {
  await service?.stop();
});

it('when every field of an event is at its maximum with astral characters, then the outbox, the feed and the stats store it exactly', async () => {
  const uid = atMax(`jürgen-${randomUUID()}`, 128);
  const bmpUid = bmpAtMax(`müller-${randomUUID()}`, 128);
  const signedIn: CloudEvent = {
    ...createEvent({ type: 'testbed.user.signed_in', source: '/auth-service', data: { uid: bmpUid, method: atMax('pw', 40) } }),
    id: bmpAtMax(randomUUID(), 64),
  };
  const posted: CloudEvent = {
    ...createEvent({
      type: 'testbed.message.posted',
      source: '/public-api',
      data: {
        messageId: atMax('m', 64),
        text: atMax('Grüße ', 1_000),
        author: { uid, displayName: atMax('Jürgen ', 100) },
        createdAt: new Date().toISOString(),
      },
    }),
    id: atMax(randomUUID(), 64),
  };

  await migrateOutbox(fx.database.url, testLogger);
  await writeToOutbox(fx.pool, [signedIn, posted]);
  const [outbox] = await fx.pool.query<Array<RowDataPacket & { event_id: string }>>('SELECT event_id FROM outbox ORDER BY id');
  expect(outbox.map((row) => row['event_id'])).toEqual([signedIn.id, posted.id]);

  const js = jetstream(fx.nc);
  for (const event of [signedIn, posted]) {
    await js.publish(subjectForType(event.type, fx.topology.subjectPrefix), JSON.stringify(event), { msgID: String(Math.random()) });
  }
  await waitFor(async () => (await fx.activityRows()) === 2 && (await fx.settled()), { what: 'both events applied' });

  const [activity] = await fx.pool.query<Array<RowDataPacket & { event_id: string; actor_uid: string }>>(
    'SELECT event_id, actor_uid FROM activity ORDER BY id',
  );
  expect(activity.map((row) => [row['event_id'], row['actor_uid']]).sort()).toEqual(
    [
      [signedIn.id, bmpUid],
      [posted.id, uid],
    ].sort(),
  );
  const stats = await readStats(fx.redis, fx.statsPrefix);
  expect(stats).toMatchObject({ messages: 1, signIns: 1, users: 1 });
  expect(await fx.redis.sismember(`${fx.statsPrefix}:users`, bmpUid)).toBe(1);
});

it('when the activity table is migrated, then its columns hold what the read-model limits allow, in utf8mb4, ids compared exactly', async () => {
  const [columns] = await fx.pool.query<RowDataPacket[]>(
    `SELECT COLUMN_NAME AS name, CHARACTER_MAXIMUM_LENGTH AS max, CHARACTER_SET_NAME AS charset, COLLATION_NAME AS collation
     FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'activity'
       AND COLUMN_NAME IN ('event_id', 'type', 'actor_uid', 'summary') ORDER BY COLUMN_NAME`,
  );
  expect(columns.map((c) => ({ ...c }))).toEqual([
    { name: 'actor_uid', max: activityLimits.actorUid, charset: 'utf8mb4', collation: 'utf8mb4_bin' },
    { name: 'event_id', max: activityLimits.eventId, charset: 'utf8mb4', collation: 'utf8mb4_bin' },
    { name: 'summary', max: activityLimits.summary, charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' },
    { name: 'type', max: activityLimits.type, charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' },
  ]);
});
