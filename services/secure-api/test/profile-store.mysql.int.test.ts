import { createLogger, createMysqlPool, migrate, type MysqlPool } from '@testbed/service-kit';
import { createTestDatabase, type TestDatabase } from '@testbed/service-kit/testing';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { MysqlProfileStore } from '../src/adapters/mysql/profile.store.js';
import { profileStoreContract } from './profile-store.contract.js';

let db: TestDatabase;
let pool: MysqlPool;
let store: MysqlProfileStore;

beforeAll(async () => {
  db = await createTestDatabase('secure_profiles');
  await migrate(db.url, fileURLToPath(new URL('../migrations', import.meta.url)), createLogger({ service: 'test', level: 'silent' }));
  pool = createMysqlPool(db.url);
  store = new MysqlProfileStore(pool);
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

profileStoreContract('mysql', () => store);
