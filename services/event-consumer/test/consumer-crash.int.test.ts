import { fileURLToPath } from 'node:url';
import { jetstream } from '@nats-io/jetstream';
import { subjectForType } from '@testbed/service-kit/events';
import { readStats } from '../src/adapters/redis/stats-keys.js';
import { freePort, startServiceProcess, waitFor, waitForUrl, type ServiceProcess } from '@testbed/service-kit/testing';
import { afterAll, expect, it } from 'vitest';
import { messagePosted } from './support/event-bus.contract.js';
import { NATS_URL, REDIS_URL, streamFixture } from './support/stream-fixture.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const EVENTS = 2_000;

const fx = streamFixture('consumer_crash');
const processes: ServiceProcess[] = [];

async function startConsumer(): Promise<{ service: ServiceProcess; port: number }> {
  const port = await freePort();
  const service = startServiceProcess(packageDir, {
    PORT: String(port),
    MYSQL_URL: fx.database.url,
    REDIS_URL,
    NATS_URL,
    EVENT_TOPOLOGY_PREFIX: fx.prefix,
    STATS_PREFIX: fx.statsPrefix,
    // Events pulled by the killed process come back after ack_wait; 30 s would only slow the test down.
    EVENT_ACK_WAIT_S: '3',
    LOG_LEVEL: 'warn',
  });
  processes.push(service);
  await waitForUrl(`http://127.0.0.1:${port}/readyz`, {
    what: `event-consumer ready\n${service.output()}`,
    timeoutMs: 30_000,
  });
  return { service, port };
}

// Registered after the fixture's, so it runs before the fixture removes what the processes use.
afterAll(async () => {
  for (const service of processes) await service.stop('SIGKILL');
});

it('when the consumer is killed with SIGKILL mid-stream and restarted, then every event is applied exactly once', async () => {
  const first = await startConsumer();
  const before = await readStats(fx.redis, fx.statsPrefix);

  const js = jetstream(fx.nc);
  const subject = subjectForType('testbed.message.posted', fx.topology.subjectPrefix);
  for (let batch = 0; batch < EVENTS / 100; batch += 1) {
    await Promise.all(
      Array.from({ length: 100 }, () => {
        const event = messagePosted();
        return js.publish(subject, JSON.stringify(event), { msgID: event.id });
      }),
    );
  }

  await waitFor(async () => (await fx.activityRows()) >= 100, { what: 'the consumer to get going' });
  await first.service.stop('SIGKILL');
  const rowsAtKill = await fx.activityRows();
  expect(rowsAtKill, 'the kill must land while events are still in flight').toBeLessThan(EVENTS);

  const second = await startConsumer();
  await waitFor(fx.settled, { what: 'both consumers to settle every event', timeoutMs: 90_000, intervalMs: 250 });

  expect(await fx.activityRows()).toBe(EVENTS);
  const after = await readStats(fx.redis, fx.statsPrefix);
  expect(after.messages - before.messages).toBe(EVENTS);

  // A graceful stop drains and exits cleanly.
  expect(await second.service.stop('SIGTERM')).toBe(0);
}, 180_000);
