import { createLogger, migrate, type PageRequest } from '@testbed/service-kit';
import { createEvent, type CloudEvent, type DeliveryContext } from '@testbed/service-kit/events';
import { createTestPool, type TestPool } from '@testbed/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryActivityStore } from '../src/adapters/memory/activity.store.js';
import { MysqlActivityStore } from '../src/adapters/mysql/activity.store.js';
import { activityFeedHandler } from '../src/consumers/activity-feed.consumer.js';
import type { ActivityFilter, ActivityLine, ActivityReader } from '../src/domain/activity.js';
import { migrationsDir } from '../src/service.js';

const logger = createLogger({ service: 'event-consumer-test', level: 'silent' });

/** One implementation under test; `record` puts an event into the feed through the activity-feed consumer. */
interface Subject {
  readonly store: ActivityReader;
  record(event: CloudEvent): Promise<void>;
}

let db: TestPool;

beforeAll(async () => {
  db = await createTestPool('activity_reader', {
    prepare: (url) => migrate(url, migrationsDir, logger, 'event-consumer'),
  });
});

afterAll(() => db?.drop());

const delivery: DeliveryContext = { deliveryCount: 1 };

const implementations: [string, () => Promise<Subject>][] = [
  [
    'mysql',
    async () => {
      await db.pool.query('DELETE FROM activity');
      const store = new MysqlActivityStore(db.pool);
      const handle = activityFeedHandler(store);
      return { store, record: (event) => handle(event, delivery) };
    },
  ],
  [
    'memory',
    () => {
      const store = new MemoryActivityStore();
      const handle = activityFeedHandler(store);
      return Promise.resolve({ store, record: (event) => handle(event, delivery) });
    },
  ],
];

function signedIn(uid: string, time: Date): CloudEvent {
  const event = createEvent({ type: 'testbed.user.signed_in', source: '/test', subject: uid, data: { uid } });
  return { ...event, time: time.toISOString() };
}

async function listAll(store: ActivityReader, limit: number, filter?: ActivityFilter): Promise<ActivityLine[][]> {
  const pages: ActivityLine[][] = [];
  let request: PageRequest = { limit };
  for (;;) {
    const page = await store.list(request, filter);
    pages.push([...page.items]);
    if (!page.next || pages.length > 50) return pages;
    request = { limit, after: page.next };
  }
}

describe.each(implementations)('ActivityReader contract (%s)', (_, makeSubject) => {
  it('when the feed is empty, then the first page is empty with no next position', async () => {
    const { store } = await makeSubject();
    expect(await store.list({ limit: 20 })).toEqual({ items: [], next: null });
  });

  it('when an event is recorded, then the feed shows its type, actor and time', async () => {
    const subject = await makeSubject();
    const time = new Date('2026-02-03T04:05:06.007Z');
    await subject.record(signedIn('uid-42', time));
    const page = await subject.store.list({ limit: 20 });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ type: 'testbed.user.signed_in', actorUid: 'uid-42', occurredAt: time });
    expect(page.items[0]?.id).toMatch(/^\d+$/);
    expect(page.items[0]?.summary).not.toBe('');
  });

  it('when the same event is recorded twice, then the feed shows it once', async () => {
    const subject = await makeSubject();
    const event = signedIn('uid-7', new Date());
    await subject.record(event);
    await subject.record(event);
    expect((await subject.store.list({ limit: 20 })).items).toHaveLength(1);
  });

  it('when the feed is paged, then it is newest first with no duplicate or gap, even with equal times', async () => {
    const subject = await makeSubject();
    const base = Date.parse('2026-06-01T00:00:00.000Z');
    const offsets = [3, 0, 3, 8, 3, 1, 8, 5, 2, 3, 0, 9, 7];
    for (const [i, offset] of offsets.entries()) await subject.record(signedIn(`user-${i}`, new Date(base + offset)));

    const pages = await listAll(subject.store, 5);
    expect(pages.map((page) => page.length)).toEqual([5, 5, 3]);
    const entries = pages.flat();
    expect(new Set(entries.map((e) => e.id)).size).toBe(offsets.length);
    expect(new Set(entries.map((e) => e.actorUid))).toEqual(new Set(offsets.map((_, i) => `user-${i}`)));
    const times = entries.map((e) => e.occurredAt.getTime());
    expect(times).toEqual([...offsets].sort((a, b) => b - a).map((offset) => base + offset));
    // Within one time, the later-recorded (larger id) entry comes first.
    for (let i = 1; i < entries.length; i++) {
      const [previous, current] = [entries[i - 1]!, entries[i]!];
      if (previous.occurredAt.getTime() === current.occurredAt.getTime()) {
        expect(BigInt(previous.id) > BigInt(current.id)).toBe(true);
      }
    }
  });

  it('when the feed is filtered by actor, then every page holds only that actor, newest first, and all of them', async () => {
    const subject = await makeSubject();
    const base = Date.parse('2026-07-01T00:00:00.000Z');
    for (let i = 0; i < 12; i++) {
      await subject.record(signedIn(i % 3 === 0 ? 'me' : `other-${i}`, new Date(base + (i % 5))));
    }
    const pages = await listAll(subject.store, 2, { actorUid: 'me' });
    const entries = pages.flat();
    expect(entries).toHaveLength(4);
    expect(entries.every((e) => e.actorUid === 'me')).toBe(true);
    expect(new Set(entries.map((e) => e.id)).size).toBe(4);
    const times = entries.map((e) => e.occurredAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(await subject.store.list({ limit: 5 }, { actorUid: 'nobody' })).toEqual({ items: [], next: null });
  });
});
