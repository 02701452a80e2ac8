import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { createMysqlPool, mysqlOptionsFromUrl, type MysqlPool } from '../clients/mysql.js';

/** The server tests run against; the database part of the URL is ignored. */
export const testMysqlServerUrl = (): string => process.env['TEST_MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/test';

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** A database of its own for one test file, so files can run in parallel against one server. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `t_${label.replace(/\W/g, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  const server = new URL(testMysqlServerUrl());
  const admin = await createConnection({ ...mysqlOptionsFromUrl(server.href), database: undefined });
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  const url = new URL(server.href);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    name,
    drop: async () => {
      const conn = await createConnection({ ...mysqlOptionsFromUrl(server.href), database: undefined });
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await conn.end();
      }
    },
  };
}

/** A test database with a pool on it; `drop` closes the pool first. */
export interface TestPool extends TestDatabase {
  readonly pool: MysqlPool;
}

/** createTestDatabase, then `prepare` (migrations, usually) on its URL, then a pool. */
export async function createTestPool(
  label: string,
  options: { prepare?: (url: string) => Promise<unknown>; connectionLimit?: number } = {},
): Promise<TestPool> {
  const database = await createTestDatabase(label);
  try {
    await options.prepare?.(database.url);
  } catch (error) {
    await database.drop();
    throw error;
  }
  const pool = createMysqlPool(database.url, options.connectionLimit ? { connectionLimit: options.connectionLimit } : {});
  return {
    ...database,
    pool,
    drop: async () => {
      await pool.end();
      await database.drop();
    },
  };
}
