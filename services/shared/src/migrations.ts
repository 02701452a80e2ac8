import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import type { Logger } from 'pino';
import { mysqlOptionsFromUrl } from './clients/mysql.js';

const MIGRATION_FILE = /^(\d+)[-_]([\w-]+)\.sql$/;
const LOCK_WAIT_S = 60;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

export async function readMigrations(directory: string): Promise<Migration[]> {
  const files = (await readdir(directory)).filter((f) => f.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = MIGRATION_FILE.exec(file);
    if (!match) throw new Error(`migration file name must look like 001_create_things.sql: ${file}`);
    const sql = await readFile(join(directory, file), 'utf8');
    migrations.push({
      version: Number(match[1]),
      name: match[2] ?? file,
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  const versions = new Set<number>();
  for (const m of migrations) {
    if (versions.has(m.version)) throw new Error(`two migrations share version ${m.version} in ${directory}`);
    versions.add(m.version);
  }
  return migrations.sort((a, b) => a.version - b.version);
}

interface AppliedRow extends RowDataPacket {
  version: number;
  checksum: string;
}

/**
 * Applies each numbered .sql file once, in order. Replicas starting together serialise on a
 * MySQL named lock, so exactly one of them applies a given file. An applied file that was later
 * edited stops startup: schema changes go in a new file.
 *
 * Several services may share one database, so versions are tracked per `scope`: the owning
 * service's name (e.g. `secure-api`), given explicitly. It is never derived from where the files
 * sit: in a container the code runs from `/app`, and a scope taken from the folder name would
 * change there and re-run every migration.
 *
 * @param directory the folder of numbered `.sql` files (resolve it from the code's own location,
 *   e.g. `new URL('../migrations', import.meta.url)`, never from the working directory).
 * @param scope the name versions are recorded under; 1–100 characters.
 * @returns the versions applied by this call, in order.
 * @throws Error when the lock is not granted within 60 s, a file name is not numbered, or an
 *   applied file changed.
 */
export async function migrate(mysqlUrl: string, directory: string, logger: Logger, scope: string): Promise<number[]> {
  if (scope.length === 0 || scope.length > 100) throw new Error(`migration scope must be 1-100 characters: "${scope}"`);
  const migrations = await readMigrations(directory);
  const connection = await createConnection({ ...mysqlOptionsFromUrl(mysqlUrl), multipleStatements: true });
  const lockName = `testbed.migrations.${new URL(mysqlUrl).pathname.slice(1)}`;
  try {
    const [lockRows] = await connection.query<RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS acquired', [lockName, LOCK_WAIT_S]);
    if (lockRows[0]?.['acquired'] !== 1) throw new Error(`could not take migration lock within ${LOCK_WAIT_S}s`);
    try {
      await connection.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        scope VARCHAR(100) NOT NULL,
        version INT UNSIGNED NOT NULL,
        name VARCHAR(200) NOT NULL,
        checksum CHAR(64) NOT NULL,
        applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (scope, version)
      )`);
      const [rows] = await connection.query<AppliedRow[]>('SELECT version, checksum FROM schema_migrations WHERE scope = ?', [scope]);
      const applied = new Map(rows.map((r) => [r.version, r.checksum]));
      const newlyApplied: number[] = [];
      for (const migration of migrations) {
        const checksum = applied.get(migration.version);
        if (checksum !== undefined) {
          if (checksum !== migration.checksum) {
            throw new Error(`${scope} migration ${migration.version}_${migration.name} changed after it was applied`);
          }
          continue;
        }
        logger.info({ scope, version: migration.version, name: migration.name }, 'applying migration');
        await connection.query(migration.sql);
        await connection.query('INSERT INTO schema_migrations (scope, version, name, checksum) VALUES (?, ?, ?, ?)', [
          scope,
          migration.version,
          migration.name,
          migration.checksum,
        ]);
        newlyApplied.push(migration.version);
      }
      return newlyApplied;
    } finally {
      await connection.query('SELECT RELEASE_LOCK(?)', [lockName]);
    }
  } finally {
    await connection.end();
  }
}
