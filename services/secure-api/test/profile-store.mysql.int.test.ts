import { createLogger, migrate, type MysqlPool } from '@testbed/service-kit';
import { MysqlOutbox, migrateOutbox, parseCloudEvent, type CloudEvent } from '@testbed/service-kit/events';
import { createTestPool, type TestPool } from '@testbed/service-kit/testing';
import { fileURLToPath } from 'node:url';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll } from 'vitest';
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
