import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { jetstream } from '@nats-io/jetstream';
import { listDeadLetters, subjectForType, type CloudEvent } from '@testbed/service-kit/events';
import { readStats } from '../src/adapters/redis/stats-keys.js';
import { waitFor } from '@testbed/service-kit/testing';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startService, type RunningEventConsumer } from '../src/service.js';
import { messagePosted } from './support/event-bus.contract.js';
import { consumerConfigFor } from './support/consumer-config.js';
import { NATS_URL, streamFixture } from './support/stream-fixture.js';
import { testLogger } from './support/test-logger.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

const fx = streamFixture('poison_event');
const { topology } = fx;
let service: RunningEventConsumer;

const poison = messagePosted('the activity feed cannot take this one (until it is fixed)');
let fixed = false;
const poisonDeliveries: number[] = [];

const cli = promisify(execFile);
/** The real `pnpm --filter event-consumer dlq` entry point, pointed at this file's streams. */
async function dlq(...args: string[]): Promise<string> {
  const { stdout } = await cli(process.execPath, ['--conditions=@testbed/source', '--import', 'tsx', 'src/cli/dlq.ts', ...args], {
    cwd: packageDir,
    env: { ...process.env, NATS_URL, EVENT_TOPOLOGY_PREFIX: fx.prefix },
  });
  return stdout;
}

const activityFor = async (eventId: string) => {
  const [rows] = await fx.pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM activity WHERE event_id = ?', [eventId]);
  return Number(rows[0]?.['n']);
};

async function publish(events: readonly CloudEvent[]): Promise<void> {
  const js = jetstream(fx.nc);
  for (const event of events) {
    await js.publish(subjectForType(event.type, topology.subjectPrefix), JSON.stringify(event), { msgID: event.id });
  }
}

beforeAll(async () => {
  const config = await consumerConfigFor(fx, {
    EVENT_RETRY_BACKOFF_MS: '50,100,200',
  });
  service = await startService(config, {
    logger: testLogger,
    // Stands in for a bug in the activity feed that only this event triggers.
    wrapHandler: (consumer, handler) =>
      consumer === 'activity-feed'
        ? async (event, context) => {
            if (event.id === poison.id) {
              poisonDeliveries.push(context.deliveryCount);
              if (!fixed) throw new Error('activity feed rejected the event');
            }
            await handler(event, context);
          }
        : handler,
  });
});

// Registered after the fixture's, so the service stops before the fixture removes what it uses.
afterAll(async () => {
  await service?.stop();
});

it('when one event always fails, then it is dead-lettered after 5 deliveries while the others flow, and a replay after the fix applies it once', async () => {
  const healthy = Array.from({ length: 30 }, () => messagePosted());
  await publish([poison, ...healthy]);

  await waitFor(async () => (await listDeadLetters(fx.nc, { topology })).length === 1, { what: 'the dead letter' });
  await waitFor(fx.settled, { what: 'the other events' });
  expect(poisonDeliveries).toEqual([1, 2, 3, 4, 5]);
  expect(await fx.activityRows()).toBe(healthy.length);
  expect(await activityFor(poison.id)).toBe(0);
  // Only the activity feed failed; the stats consumer counted the event the first time.
  expect((await readStats(fx.redis, fx.statsPrefix)).messages).toBe(healthy.length + 1);

  const listed = await dlq('list');
  expect(listed).toContain(poison.id);
  expect(listed).toContain('consumer=activity-feed');
  expect(listed).toContain('activity feed rejected the event');
  const [letter] = await listDeadLetters(fx.nc, { topology });

  fixed = true;
  expect(await dlq('replay', String(letter!.seq))).toContain(`replayed #${letter!.seq}`);

  await waitFor(async () => (await activityFor(poison.id)) === 1, { what: 'the replayed event applied' });
  await waitFor(fx.settled, { what: 'the replay settled for both consumers' });
  expect(await fx.activityRows()).toBe(healthy.length + 1);
  expect((await readStats(fx.redis, fx.statsPrefix)).messages).toBe(healthy.length + 1);
  expect(await listDeadLetters(fx.nc, { topology })).toEqual([]);
  expect(await dlq('list')).toBe('no dead letters\n');
  // Three CLI processes (tsx start-up each) and five deliveries: well past the default 30 s on a busy machine.
}, 90_000);

it('when an event is not a valid testbed event, then it is dead-lettered on its first delivery', async () => {
  const subject = subjectForType('testbed.message.posted', topology.subjectPrefix);
  await jetstream(fx.nc).publish(subject, '{"specversion":"1.0","id":"not-an-event"}', { msgID: 'broken-1' });

  await waitFor(async () => (await listDeadLetters(fx.nc, { topology })).length === 2, { what: 'both consumers dead-letter it' });
  const letters = await listDeadLetters(fx.nc, { topology });
  expect(letters.map((l) => [l.consumer, l.deliveries, l.eventId]).sort()).toEqual([
    ['activity-feed', 1, 'not-an-event'],
    ['stats', 1, 'not-an-event'],
  ]);
  expect(letters[0]!.error).toContain('invalid event');
});
