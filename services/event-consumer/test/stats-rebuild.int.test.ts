import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { jetstream } from '@nats-io/jetstream';
import { createEvent, subjectForType, type CloudEvent } from '@testbed/service-kit/events';
import { readStats } from '../src/adapters/redis/stats-keys.js';
import { waitFor } from '@testbed/service-kit/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startService, type RunningEventConsumer } from '../src/service.js';
import { messagePosted } from './support/event-bus.contract.js';
import { consumerConfigFor } from './support/consumer-config.js';
import { REDIS_URL, streamFixture } from './support/stream-fixture.js';
import { testLogger } from './support/test-logger.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const fx = streamFixture('stats_rebuild');
let service: RunningEventConsumer;

const cli = promisify(execFile);
/** The real `pnpm --filter event-consumer stats` entry point, on this file's database and keys. */
async function stats(...args: string[]): Promise<string> {
  const { stdout } = await cli(process.execPath, ['--conditions=@testbed/source', '--import', 'tsx', 'src/cli/stats.ts', ...args], {
    cwd: packageDir,
    env: { ...process.env, MYSQL_URL: fx.database.url, REDIS_URL, STATS_PREFIX: fx.statsPrefix },
  });
  return stdout;
}

async function publish(events: readonly CloudEvent[], msgId = (event: CloudEvent) => event.id): Promise<void> {
  const js = jetstream(fx.nc);
  for (const event of events) {
    await js.publish(subjectForType(event.type, fx.topology.subjectPrefix), JSON.stringify(event), { msgID: msgId(event) });
  }
}

const signedIn = (uid: string, time: string) => ({
  ...createEvent({ type: 'testbed.user.signed_in', source: '/auth-service', subject: uid, data: { uid } }),
  time,
});

beforeAll(async () => {
  const config = await consumerConfigFor(fx);
  service = await startService(config, { logger: testLogger });
});

afterAll(async () => {
  await service?.stop();
});

it('when the stats keys are lost, then rebuild recounts them from the activity table, and a redelivered event is still counted once', async () => {
  const events: CloudEvent[] = [
    ...Array.from({ length: 7 }, () => messagePosted()),
    signedIn('ada', '2026-03-01T10:00:00.000Z'),
    signedIn('ada', '2026-03-02T10:00:00.000Z'),
    signedIn('jürgen-😀', '2026-03-05T10:00:00.000+02:00'),
    createEvent({ type: 'testbed.profile.updated', source: '/secure-api', data: { uid: 'ada', displayName: 'Ada' } }),
  ];
  await publish(events);
  await waitFor(async () => (await fx.activityRows()) === events.length && (await fx.settled()), { what: 'events applied' });
  const applied = await readStats(fx.redis, fx.statsPrefix);
  // updatedAt is the time of the newest counted event (the profile update, newest of all, is not counted), as in memory mode.
  const newestCounted = events
    .filter((event) => event.type !== 'testbed.profile.updated')
    .map((event) => new Date(event.time).toISOString())
    .sort()
    .at(-1);
  expect(applied).toEqual({ messages: 7, signIns: 3, users: 2, updatedAt: newestCounted });

  // Redis restarted without persistence: every key of the stats, markers included, is gone.
  const keys = await fx.redis.keys(`${fx.statsPrefix}:*`);
  await fx.redis.del(...keys);
  expect(await readStats(fx.redis, fx.statsPrefix)).toEqual({ messages: 0, users: 0, signIns: 0, updatedAt: null });

  expect(await stats('rebuild')).toContain('rebuilt: messages=7 users=2 signIns=3');
  expect(await readStats(fx.redis, fx.statsPrefix)).toEqual(applied);

  // A replay of an event the rebuild counted (new Nats-Msg-Id, as `dlq replay` sends) changes nothing.
  await publish([events[0]!, events[8]!], (event) => `replay-${event.id}`);
  await waitFor(fx.settled, { what: 'the replay settled' });
  expect(await readStats(fx.redis, fx.statsPrefix)).toEqual(applied);
});
