import { createLogger, migrate, type MysqlPool } from '@testbed/service-kit';
import { MysqlOutbox, migrateOutbox, parseCloudEvent, type CloudEvent } from '@testbed/service-kit/events';
import { createTestPool, type TestPool } from '@testbed/service-kit/testing';
import { fileURLToPath } from 'node:url';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MysqlProfileStore } from '../src/adapters/mysql/profile.store.js';
import { profileStoreContract } from './profile-store.contract.js';

let db: TestPool;
let pool: MysqlPool;
let store: MysqlProfileStore;

beforeAll(async () => {
  const logger = createLogger({ service: 'test', level: 'silent' });
  db = await createTestPool('secure_profiles', {
    prepare: async (url) => {
      await migrate(url, fileURLToPath(new URL('../migrations', import.meta.url)), logger, 'secure-api');
      await migrateOutbox(url, logger);
    },
  });
  pool = db.pool;
  // No relay: the rows stay in the outbox, where the contract reads them.
  store = new MysqlProfileStore(pool, new MysqlOutbox(pool));
});

afterAll(() => db?.drop());

async function outboxEventsFor(uid: string): Promise<CloudEvent[]> {
  const [rows] = await pool.query<RowDataPacket[]>('SELECT payload FROM outbox ORDER BY id');
  return rows
    .map((row) => parseCloudEvent(typeof row['payload'] === 'string' ? row['payload'] : JSON.stringify(row['payload'])))
    .filter((event) => event.subject === uid);
}

profileStoreContract('mysql', () => store, outboxEventsFor);

describe('when a save fails and its rollback fails too', () => {
  it('then the caller still sees the error that broke the save (AggregateError, original first and as cause), and nothing is stored', async () => {
    const original = new Error('outbox write failed');
    // The outbox write fails after the connection died, so the rollback that follows fails as well.
    const brokenStore = new MysqlProfileStore(pool, {
      write: async (_events, connection) => {
        (connection as { destroy(): void }).destroy();
        throw original;
      },
      nudge: () => undefined,
    });
    const failure: unknown = await brokenStore.save('rollback-fails', { displayName: 'Ann', bio: '' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AggregateError);
    expect((failure as AggregateError).cause).toBe(original);
    expect((failure as AggregateError).errors[0]).toBe(original);
    const [rows] = await pool.query<RowDataPacket[]>("SELECT uid FROM profiles WHERE uid = 'rollback-fails'");
    expect(rows).toEqual([]);
  });
});
