import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mysqlOptionsFromUrl } from '../src/clients/mysql.js';
import { runMigrateCommand } from '../src/migrate-command.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/mysql.js';

let db: TestDatabase;
let dir: string;
const saved = { MYSQL_URL: process.env['MYSQL_URL'], LOG_LEVEL: process.env['LOG_LEVEL'] };

beforeEach(async () => {
  db = await createTestDatabase('migrate_command');
  dir = await mkdtemp(join(tmpdir(), 'testbed-migrate-command-'));
  await writeFile(join(dir, '001_create_things.sql'), 'CREATE TABLE things (id INT PRIMARY KEY);');
  process.env['MYSQL_URL'] = db.url;
  process.env['LOG_LEVEL'] = 'silent';
  process.exitCode = undefined;
});
afterEach(async () => {
  Object.assign(process.env, saved);
  if (saved.MYSQL_URL === undefined) delete process.env['MYSQL_URL'];
  process.exitCode = undefined;
  await rm(dir, { recursive: true, force: true });
  await db.drop();
});

describe('runMigrateCommand (the services’ migrate entry points)', () => {
  it('when run twice, then the files and the extra step are applied, the second run is a no-op, and the exit code stays 0', async () => {
    let extraRuns = 0;
    const alsoMigrate = async () => void (extraRuns += 1);
    await runMigrateCommand({ scope: 'svc', migrationsDir: dir, alsoMigrate });
    await runMigrateCommand({ scope: 'svc', migrationsDir: dir, alsoMigrate });
    const conn = await createConnection(mysqlOptionsFromUrl(db.url));
    const [tables] = await conn.query<RowDataPacket[]>("SHOW TABLES LIKE 'things'");
    await conn.end();
    expect(tables).toHaveLength(1);
    expect(extraRuns).toBe(2);
    expect(process.exitCode).toBeUndefined();
  });

  it('when a migration fails, then the exit code is 1', async () => {
    await writeFile(join(dir, '002_broken.sql'), 'CREATE TABLE;');
    await runMigrateCommand({ scope: 'svc', migrationsDir: dir });
    expect(process.exitCode).toBe(1);
  });
});
