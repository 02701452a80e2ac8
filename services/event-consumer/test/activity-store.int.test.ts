import { randomUUID } from 'node:crypto';
import { createLogger, migrate, type MysqlPool } from '@testbed/service-kit';
import { createTestPool, type TestPool } from '@testbed/service-kit/testing';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MysqlActivityStore } from '../src/adapters/mysql/activity.store.js';
import type { ActivityEntry } from '../src/domain/activity.js';
import { migrationsDir } from '../src/service.js';

let db: TestPool;
const statements: string[] = [];

/** The pool, counting the statements the store sends. */
function countingPool(pool: MysqlPool): MysqlPool {
  return new Proxy(pool, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if ((property === 'query' || property === 'execute') && typeof value === 'function') {
        return (sql: string, ...rest: unknown[]) => {
          statements.push(sql);
          return (value as (...args: unknown[]) => unknown).call(target, sql, ...rest);
        };
      }
      return value;
    },
  });
}

beforeAll(async () => {
  db = await createTestPool('activity_store', {
    prepare: (url) => migrate(url, migrationsDir, createLogger({ service: 'test', level: 'silent' }), 'event-consumer'),
  });
});

afterAll(async () => {
  await db?.drop();
});

const entry = (overrides: Partial<ActivityEntry> = {}): ActivityEntry => ({
  eventId: randomUUID(),
  type: 'testbed.message.posted',
  actorUid: null,
  summary: 'posted a message',
  occurredAt: new Date('2026-01-02T03:04:05.678Z'),
  ...overrides,
});

async function rowsFor(ids: readonly string[]): Promise<RowDataPacket[]> {
  const [rows] = await db.pool.query<RowDataPacket[]>('SELECT event_id, summary, occurred_at FROM activity WHERE event_id IN (?)', [ids]);
  return rows;
}

describe('MysqlActivityStore', () => {
  it('when many entries are recorded at once, then they are written by far fewer statements, each exactly once', async () => {
    const store = new MysqlActivityStore(countingPool(db.pool));
    const entries = Array.from({ length: 200 }, () => entry());
    statements.length = 0;

    await Promise.all(entries.map((e) => store.record(e)));

    expect(statements.length).toBeLessThanOrEqual(10);
    const rows = await rowsFor(entries.map((e) => e.eventId));
    expect(rows).toHaveLength(200);
    expect((rows[0]!['occurred_at'] as Date).toISOString()).toBe('2026-01-02T03:04:05.678Z');
  });

  it('when an event is recorded again, alone or in a batch with itself, then it stays one row', async () => {
    const store = new MysqlActivityStore(db.pool);
    const repeated = entry();
    await store.record(repeated);
    await store.record(repeated);
    await Promise.all([store.record(repeated), store.record(repeated), store.record(entry())]);
    expect(await rowsFor([repeated.eventId])).toHaveLength(1);
  });

  it('when one entry of a batch is bad data, then only it fails (with the data error) and the others are recorded', async () => {
    const store = new MysqlActivityStore(db.pool);
    const good = Array.from({ length: 6 }, () => entry());
    const bad = entry({ summary: 'x'.repeat(100_000) });

    const outcomes = await Promise.allSettled([...good.slice(0, 3), bad, ...good.slice(3)].map((e) => store.record(e)));

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect((outcomes[3] as PromiseRejectedResult).reason).toMatchObject({ code: 'ER_DATA_TOO_LONG' });
    expect(await rowsFor(good.map((e) => e.eventId))).toHaveLength(6);
    expect(await rowsFor([bad.eventId])).toHaveLength(0);
  });
});
