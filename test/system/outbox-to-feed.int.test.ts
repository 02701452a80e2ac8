// The whole delivery chain across processes, as issue 3 states it: public-api accepts writes while
// NATS is unreachable; when NATS comes back, the outbox relay publishes every event and the
// event-consumer applies each one to the activity feed exactly once.
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  freePort,
  privateNatsServer,
  startServiceProcess,
  waitFor,
  waitForUrl,
  type PrivateNatsServer,
  type ServiceProcess,
  type TestDatabase,
} from '@testbed/service-kit/testing';

const SERVICES = join(import.meta.dirname, '..', '..', 'services');
const MESSAGES = 200;

let database: TestDatabase;
let nats: PrivateNatsServer;
let publicApi: ServiceProcess | undefined;
let consumer: ServiceProcess | undefined;
let publicApiUrl: string;
let consumerPort: number;

async function activityRows(): Promise<{ event_id: string; summary: string }[]> {
  const connection = await createConnection(database.url);
  try {
    const [rows] = await connection.query<RowDataPacket[]>("SELECT event_id, summary FROM activity WHERE type = 'testbed.message.posted'");
    return rows as { event_id: string; summary: string }[];
  } finally {
    await connection.end();
  }
}

beforeAll(async () => {
  database = await createTestDatabase('outbox_feed');
  nats = await privateNatsServer(); // created, not started: NATS is down while the writes happen
  const port = await freePort();
  consumerPort = await freePort();
  publicApiUrl = `http://127.0.0.1:${port}`;
  publicApi = startServiceProcess(join(SERVICES, 'public-api'), {
    PORT: String(port),
    // The feed is event-consumer's, started later: public-api reads it through its read API.
    READ_MODELS_URL: `http://127.0.0.1:${consumerPort}`,
    MYSQL_URL: database.url,
    NATS_URL: nats.url,
    REDIS_URL: '',
    RATE_LIMIT_PER_MINUTE: String(MESSAGES * 2),
    LOG_LEVEL: 'warn',
  });
  await waitForUrl(`${publicApiUrl}/healthz`, { timeoutMs: 30_000, what: 'public-api' });
});

afterAll(async () => {
  await consumer?.stop();
  await publicApi?.stop();
  await nats?.dispose();
  await database?.drop();
});

describe('outbox to activity feed', () => {
  it('when NATS is down during 200 posts and comes back, then the feed holds each message exactly once', async () => {
    const texts = Array.from({ length: MESSAGES }, (_, i) => `outbox message ${i}`);
    const statuses = await Promise.all(
      texts.map(async (text) => {
        const response = await fetch(`${publicApiUrl}/api/public/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text, author: 'outbox-test' }),
        });
        return response.status;
      }),
    );
    expect(statuses.filter((status) => status === 201)).toHaveLength(MESSAGES);

    await nats.start();
    consumer = startServiceProcess(join(SERVICES, 'event-consumer'), {
      PORT: String(consumerPort),
      MYSQL_URL: database.url,
      NATS_URL: nats.url,
      REDIS_URL: process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
      STATS_PREFIX: `outbox-feed-${database.name}:stats`,
      LOG_LEVEL: 'warn',
    });

    await waitFor(async () => (await activityRows()).length >= MESSAGES, {
      timeoutMs: 60_000,
      intervalMs: 250,
      what: `${MESSAGES} activity rows (consumer output:\n${consumer.output()})`,
    });
    // Give a duplicate, if the chain produced one, the time to land before counting.
    await sleep(2_000);
    const rows = await activityRows();
    expect(rows).toHaveLength(MESSAGES);
    expect(new Set(rows.map((row) => row.event_id)).size).toBe(MESSAGES);
    for (const text of texts) {
      expect(rows.filter((row) => row.summary.includes(`"${text}"`))).toHaveLength(1);
    }
    // And public-api serves that feed, read from its owner.
    const feed = (await (await fetch(`${publicApiUrl}/api/public/activity?limit=100`)).json()) as { items: { summary: string }[] };
    expect(feed.items).toHaveLength(100);
    expect(feed.items.every((item) => item.summary.startsWith('outbox-test posted'))).toBe(true);
  });
});
