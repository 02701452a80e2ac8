import { type PageRequest, createLogger, migrate, type MysqlPool } from '@testbed/service-kit';
import { MemoryEventBus, MysqlOutbox, createEvent, migrateOutbox, type EventOutbox } from '@testbed/service-kit/events';
import { createTestPool, type TestPool } from '@testbed/service-kit/testing';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryMessageStore } from '../src/adapters/memory/message.store.js';
import { MysqlMessageStore } from '../src/adapters/mysql/message.store.js';
import type { Message } from '../src/domain/message.js';
import { newMessageId } from '../src/domain/message-id.js';
import type { MessageStore } from '../src/domain/message.store.js';
import { migrationsDir } from '../src/service.js';

const logger = createLogger({ service: 'public-api-test', level: 'silent' });

/** One implementation under test, plus what the contract needs to look behind it. */
interface Subject {
  readonly store: MessageStore;
  /** From now on, handing events to the outbox fails (a broken outbox table, a full bus). */
  breakOutbox(): void;
  /** Ids of the events the store has accepted for delivery. */
  storedEventIds(): Promise<string[]>;
}

/** Wraps the real outbox so a test can make its writes fail. */
function breakable(outbox: EventOutbox): EventOutbox & { broken: boolean } {
  return {
    broken: false,
    write(events, tx) {
      return this.broken ? Promise.reject(new Error('outbox unavailable')) : outbox.write(events, tx);
    },
    nudge: () => outbox.nudge(),
  };
}

let db: TestPool;
let pool: MysqlPool;

beforeAll(async () => {
  db = await createTestPool('public_api_message_store', {
    prepare: async (url) => {
      await migrate(url, migrationsDir, logger, 'public-api');
      await migrateOutbox(url, logger);
    },
  });
  pool = db.pool;
});

afterAll(() => db?.drop());

const implementations: [string, () => Promise<Subject>][] = [
  [
    'mysql',
    async () => {
      await pool.query('DELETE FROM messages');
      await pool.query('DELETE FROM outbox');
      const outbox = breakable(new MysqlOutbox(pool));
      return {
        store: new MysqlMessageStore(pool, outbox),
        breakOutbox: () => (outbox.broken = true),
        storedEventIds: async () => {
          const [rows] = await pool.query<RowDataPacket[]>('SELECT event_id FROM outbox ORDER BY id');
          return rows.map((row) => String(row['event_id']));
        },
      };
    },
  ],
  [
    'memory',
    () => {
      const bus = new MemoryEventBus({ logger });
      const delivered: string[] = [];
      void bus.subscribe('contract', (event) => {
        delivered.push(event.id);
        return Promise.resolve();
      });
      const outbox = breakable(bus);
      return Promise.resolve({
        store: new MemoryMessageStore(outbox),
        breakOutbox: () => (outbox.broken = true),
        storedEventIds: async () => {
          await bus.idle();
          return delivered;
        },
      });
    },
  ],
];

function message(text: string, createdAt: Date): Message {
  return { id: newMessageId(), text, author: { uid: null, displayName: 'tester' }, createdAt };
}

const postedEvent = (m: Message) =>
  createEvent({
    type: 'testbed.message.posted',
    source: '/public-api-test',
    subject: m.id,
    data: { messageId: m.id, text: m.text, author: m.author, createdAt: m.createdAt.toISOString() },
  });

async function listAll(store: MessageStore, limit: number): Promise<Message[][]> {
  const pages: Message[][] = [];
  let request: PageRequest = { limit };
  for (;;) {
    const page = await store.list(request);
    pages.push([...page.items]);
    if (!page.next || pages.length > 50) return pages;
    request = { limit, after: page.next };
  }
}

describe.each(implementations)('MessageStore contract (%s)', (_, makeSubject) => {
  it('when a message is inserted, then it can be found by id with every field intact', async () => {
    const { store } = await makeSubject();
    const m: Message = {
      ...message('hello "world" 👋', new Date('2026-03-04T05:06:07.089Z')),
      author: { uid: 'u-1', displayName: 'Ann' },
    };
    await store.insert(m, [postedEvent(m)]);
    expect(await store.find(m.id)).toEqual(m);
  });

  it('when an id was never inserted, then find returns undefined', async () => {
    const { store } = await makeSubject();
    expect(await store.find(newMessageId())).toBeUndefined();
  });

  it('when a message is inserted with its event, then the event is stored for delivery', async () => {
    const subject = await makeSubject();
    const m = message('with event', new Date());
    const event = postedEvent(m);
    await subject.store.insert(m, [event]);
    expect(await subject.storedEventIds()).toEqual([event.id]);
  });

  it('when the event cannot be stored, then the message is not stored either', async () => {
    const subject = await makeSubject();
    const m = message('all or nothing', new Date());
    subject.breakOutbox();
    await expect(subject.store.insert(m, [postedEvent(m)])).rejects.toThrow('outbox unavailable');
    expect(await subject.store.find(m.id)).toBeUndefined();
    expect(await subject.storedEventIds()).toEqual([]);
  });

  it('when messages are listed, then pages are newest first with no duplicate or gap, ties broken by id', async () => {
    const { store } = await makeSubject();
    const base = Date.parse('2026-05-01T00:00:00.000Z');
    // Inserted out of order, several sharing one millisecond, so only the store's ordering can sort them.
    const offsets = [5, 1, 9, 1, 3, 9, 0, 7, 1, 4, 9];
    const inserted = offsets.map((offset, i) => message(`m${i}`, new Date(base + offset)));
    for (const m of inserted) await store.insert(m, [postedEvent(m)]);

    const pages = await listAll(store, 4);
    expect(pages.map((page) => page.length)).toEqual([4, 4, 3]);
    const expected = [...inserted].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
    expect(pages.flat().map((m) => m.id)).toEqual(expected.map((m) => m.id));
  });

  it('when the store is empty, then the first page is empty and has no next position', async () => {
    const { store } = await makeSubject();
    expect(await store.list({ limit: 20 })).toEqual({ items: [], next: null });
  });

  it('when the last page is exactly full, then it has no next position', async () => {
    const { store } = await makeSubject();
    for (let i = 0; i < 3; i++) {
      const m = message(`exact ${i}`, new Date(Date.now() + i));
      await store.insert(m, [postedEvent(m)]);
    }
    const page = await store.list({ limit: 3 });
    expect(page.items).toHaveLength(3);
    expect(page.next).toBeNull();
  });
});
