import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mysqlOptionsFromUrl } from '../src/clients/mysql.js';
import { createLogger } from '../src/logger.js';
import { migrate } from '../src/migrations.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/mysql.js';

const logger = createLogger({ service: 'kit-test', level: 'silent' });
let db: TestDatabase;
let root: string;

async function migrationsDir(pkg: string, files: Record<string, string>): Promise<string> {
  const dir = join(root, pkg, 'migrations');
  await mkdir(dir, { recursive: true });
  for (const [name, sql] of Object.entries(files)) await writeFile(join(dir, name), sql);
  return dir;
}

async function query<T extends RowDataPacket>(sql: string): Promise<T[]> {
  const conn = await createConnection(mysqlOptionsFromUrl(db.url));
  try {
    const [rows] = await conn.query<T[]>(sql);
    return rows;
  } finally {
    await conn.end();
  }
}

beforeEach(async () => {
  db = await createTestDatabase('migrations');
  root = await mkdtemp(join(tmpdir(), 'migrations-'));
});

afterEach(async () => {
  await db.drop();
  await rm(root, { recursive: true, force: true });
});

describe('migrate', () => {
  it('when several replicas start at once, then each file is applied exactly once', async () => {
    // The INSERT would duplicate rows (and the CREATE would fail) if a file ran twice.
    const dir = await migrationsDir('svc', {
      '001_create_things.sql': 'CREATE TABLE things (id INT PRIMARY KEY, name VARCHAR(20));',
      '002_seed_things.sql': "INSERT INTO things (id, name) VALUES (1, 'one'); INSERT INTO things VALUES (2, 'two');",
    });
    const results = await Promise.all([1, 2, 3, 4].map(() => migrate(db.url, dir, logger, 'svc')));
    expect(results.flat().sort()).toEqual([1, 2]);
    expect(await query('SELECT id FROM things ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('when run again, then nothing is applied; a new file is applied alone', async () => {
    const dir = await migrationsDir('svc', { '001_a.sql': 'CREATE TABLE a (id INT);' });
    expect(await migrate(db.url, dir, logger, 'svc')).toEqual([1]);
    expect(await migrate(db.url, dir, logger, 'svc')).toEqual([]);
    await writeFile(join(dir, '002_b.sql'), 'CREATE TABLE b (id INT);');
    expect(await migrate(db.url, dir, logger, 'svc')).toEqual([2]);
  });

  it('when two services share a database, then their versions do not collide', async () => {
    const first = await migrationsDir('svc-one', { '001_one.sql': 'CREATE TABLE one_t (id INT);' });
    const second = await migrationsDir('svc-two', { '001_two.sql': 'CREATE TABLE two_t (id INT);' });
    expect(await migrate(db.url, first, logger, 'svc-one')).toEqual([1]);
    expect(await migrate(db.url, second, logger, 'svc-two')).toEqual([1]);
    const scopes = await query<RowDataPacket & { scope: string }>('SELECT scope FROM schema_migrations ORDER BY scope');
    expect(scopes.map((r) => r.scope)).toEqual(['svc-one', 'svc-two']);
  });

  it('when an applied file was edited, then startup stops with a clear error', async () => {
    const dir = await migrationsDir('svc', { '001_a.sql': 'CREATE TABLE a (id INT);' });
    await migrate(db.url, dir, logger, 'svc');
    await writeFile(join(dir, '001_a.sql'), 'CREATE TABLE a (id BIGINT);');
    await expect(migrate(db.url, dir, logger, 'svc')).rejects.toThrow(/svc migration 1_a changed after it was applied/);
  });

  it('when a file name is not numbered, then it is refused', async () => {
    const dir = await migrationsDir('svc', { 'create.sql': 'SELECT 1;' });
    await expect(migrate(db.url, dir, logger, 'svc')).rejects.toThrow(/must look like 001_/);
  });

  it("when the same files run from a folder with another name (a container's /app), then nothing is re-applied", async () => {
    // A non-idempotent file: running it twice fails on the duplicate key.
    const files = {
      '001_create_things.sql': 'CREATE TABLE things (id INT PRIMARY KEY);',
      '002_seed_things.sql': 'INSERT INTO things (id) VALUES (1);',
    };
    const inRepo = await migrationsDir(join('services', 'public-api'), files);
    const inImage = await migrationsDir('app', files);
    expect(await migrate(db.url, inRepo, logger, 'public-api')).toEqual([1, 2]);
    expect(await migrate(db.url, inImage, logger, 'public-api')).toEqual([]);
    const scopes = await query<RowDataPacket & { scope: string }>('SELECT DISTINCT scope FROM schema_migrations');
    expect(scopes.map((r) => r.scope)).toEqual(['public-api']);
  });
});
