import { createPool, type Pool, type PoolOptions } from 'mysql2/promise';

export type { Pool as MysqlPool } from 'mysql2/promise';

/** Connection settings for a `mysql://user:pass@host:port/db` URL; times are stored and read as UTC. */
export function mysqlOptionsFromUrl(url: string): PoolOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username) || 'root',
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || undefined,
    timezone: 'Z',
    dateStrings: false,
    supportBigNumbers: true,
    connectTimeout: 5_000,
    charset: 'utf8mb4_unicode_ci',
  };
}

export function createMysqlPool(url: string, options: { connectionLimit?: number } = {}): Pool {
  return createPool({
    ...mysqlOptionsFromUrl(url),
    connectionLimit: options.connectionLimit ?? 10,
    waitForConnections: true,
    // Room for a burst of requests (hundreds of concurrent posts) to wait for a connection instead of
    // failing with 500s; still bounded, so a stuck database cannot queue work without end.
    queueLimit: 1_000,
    enableKeepAlive: true,
  });
}

export const pingMysql = async (pool: Pool): Promise<void> => {
  await pool.query('SELECT 1');
};
