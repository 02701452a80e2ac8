import { createPool, type Pool, type PoolConnection, type PoolOptions } from 'mysql2/promise';

export type { Pool as MysqlPool } from 'mysql2/promise';

/**
 * Bounds that keep a request from waiting on a database that is down, hung or overloaded: each is a
 * failure errors.ts classifies as transient (a 503 with Retry-After), never a hang.
 */
export interface MysqlPoolSettings {
  /** Connections the pool opens at most. Default 10. */
  readonly connectionLimit?: number;
  /** Callers that may wait for a free connection; one more fails at once ("Queue limit reached."). Default 1000. */
  readonly queueLimit?: number;
  /** Milliseconds to open a connection (TCP and handshake). Default 2000. */
  readonly connectTimeoutMs?: number;
  /**
   * Milliseconds a statement (and BEGIN/COMMIT/ROLLBACK) may go without an answer; then it fails
   * with PROTOCOL_SEQUENCE_TIMEOUT and its connection is destroyed, since the server may still send
   * the late answer down it. Default 5000.
   */
  readonly queryTimeoutMs?: number;
  /** Milliseconds a caller waits in the queue for a connection; then it fails with POOL_WAIT_TIMEOUT. Default 2000. */
  readonly poolWaitTimeoutMs?: number;
}

export const mysqlPoolDefaults: Required<MysqlPoolSettings> = {
  connectionLimit: 10,
  // Room for a burst of requests (hundreds of concurrent posts) to wait for a connection instead of
  // failing; the wait itself is bounded by poolWaitTimeoutMs.
  queueLimit: 1_000,
  connectTimeoutMs: 2_000,
  queryTimeoutMs: 5_000,
  poolWaitTimeoutMs: 2_000,
};

/** The pool settings from the `MYSQL_*` keys of the kit's commonEnv (config.ts). */
export function mysqlPoolSettings(config: {
  readonly MYSQL_CONNECTION_LIMIT: number;
  readonly MYSQL_QUEUE_LIMIT: number;
  readonly MYSQL_CONNECT_TIMEOUT_MS: number;
  readonly MYSQL_QUERY_TIMEOUT_MS: number;
  readonly MYSQL_POOL_WAIT_TIMEOUT_MS: number;
}): Required<MysqlPoolSettings> {
  return {
    connectionLimit: config.MYSQL_CONNECTION_LIMIT,
    queueLimit: config.MYSQL_QUEUE_LIMIT,
    connectTimeoutMs: config.MYSQL_CONNECT_TIMEOUT_MS,
    queryTimeoutMs: config.MYSQL_QUERY_TIMEOUT_MS,
    poolWaitTimeoutMs: config.MYSQL_POOL_WAIT_TIMEOUT_MS,
  };
}

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
    connectTimeout: mysqlPoolDefaults.connectTimeoutMs,
    charset: 'utf8mb4_unicode_ci',
  };
}

/** No connection came free within the pool wait timeout: the database is slow or the pool too small. */
export class PoolWaitTimeoutError extends Error {
  readonly code = 'POOL_WAIT_TIMEOUT';

  constructor(readonly waitedMs: number) {
    super(`no MySQL connection came free within ${waitedMs} ms`);
    this.name = 'PoolWaitTimeoutError';
  }
}

/**
 * A mysql2 pool whose every wait is bounded (see MysqlPoolSettings): mysql2 itself has no pool wait
 * timeout and only a per-statement `timeout` option, so the pool's getConnection/query/execute and
 * each connection's statements are wrapped to apply them. The result is still a mysql2 Pool.
 */
export function createMysqlPool(url: string, settings: MysqlPoolSettings = {}): Pool {
  const s = { ...mysqlPoolDefaults, ...settings };
  const pool = createPool({
    ...mysqlOptionsFromUrl(url),
    connectTimeout: s.connectTimeoutMs,
    connectionLimit: s.connectionLimit,
    waitForConnections: true,
    queueLimit: s.queueLimit,
    enableKeepAlive: true,
  });
  return boundWaits(pool, s);
}

/**
 * Closes every connection of `pool` (mysql2's `pool.end()`) for a shutdown step. A connection the
 * server or network already dropped rejects `end()` with PROTOCOL_CONNECTION_LOST or an errno
 * such as ECONNRESET; it is closed all the same, so only other errors reject.
 */
export async function endMysqlPool(pool: Pool): Promise<void> {
  try {
    await pool.end();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'PROTOCOL_CONNECTION_LOST' || code === 'ECONNRESET' || code === 'EPIPE') return;
    throw error;
  }
}

type Statement = (sql: unknown, values?: unknown) => Promise<unknown>;

const isQueryTimeout = (error: unknown) => (error as { code?: unknown }).code === 'PROTOCOL_SEQUENCE_TIMEOUT';

function boundConnection(connection: PoolConnection, queryTimeoutMs: number): PoolConnection {
  const bounded = (run: Statement): Statement => {
    const original = run;
    return async (sql, values) => {
      const options = typeof sql === 'string' ? { sql, timeout: queryTimeoutMs } : { timeout: queryTimeoutMs, ...(sql as object) };
      try {
        return await (values === undefined ? original(options) : original(options, values));
      } catch (error) {
        // The server may still answer the timed-out statement; that answer must not reach the next user.
        if (isQueryTimeout(error)) connection.destroy();
        throw error;
      }
    };
  };
  const query = bounded(connection.query.bind(connection) as unknown as Statement);
  Object.assign(connection, {
    query,
    execute: bounded(connection.execute.bind(connection) as unknown as Statement),
    beginTransaction: () => query('START TRANSACTION'),
    commit: () => query('COMMIT'),
    rollback: () => query('ROLLBACK'),
  });
  return connection;
}

function boundWaits(pool: Pool, s: Required<MysqlPoolSettings>): Pool {
  const getConnection = pool.getConnection.bind(pool);
  const acquire = () =>
    new Promise<PoolConnection>((resolve, reject) => {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        reject(new PoolWaitTimeoutError(s.poolWaitTimeoutMs));
      }, s.poolWaitTimeoutMs);
      getConnection().then(
        (connection) => {
          // Handed over after the caller gave up: straight back to the pool for the next one.
          if (timedOut) connection.release();
          else {
            clearTimeout(timer);
            resolve(boundConnection(connection, s.queryTimeoutMs));
          }
        },
        (error: unknown) => {
          clearTimeout(timer);
          if (!timedOut) reject(error);
        },
      );
    });
  const onConnection =
    (method: 'query' | 'execute'): Statement =>
    async (sql, values) => {
      const connection = await acquire();
      try {
        return await (connection[method] as unknown as Statement)(sql, values);
      } finally {
        connection.release();
      }
    };
  return Object.assign(pool, {
    getConnection: acquire,
    query: onConnection('query'),
    execute: onConnection('execute'),
  });
}

/**
 * Runs `work` in a transaction on a connection of its own: commit when it resolves, roll back when
 * it throws. The caller always sees the error that broke the transaction: when the rollback fails
 * too (the connection is gone), the two come as an AggregateError whose first member and `cause`
 * are the original error, so neither is lost in the logs.
 */
export async function withTransaction<T>(pool: Pool, work: (connection: PoolConnection) => Promise<T>): Promise<T> {
  const connection = await pool.getConnection();
  try {
    await connection.beginTransaction();
    const result = await work(connection);
    await connection.commit();
    return result;
  } catch (error) {
    try {
      await connection.rollback();
    } catch (rollbackError) {
      const message = error instanceof Error ? error.message : 'transaction failed';
      // The cause is the original error on purpose: it is what broke the transaction; the rollback's is a consequence.
      // eslint-disable-next-line preserve-caught-error
      throw new AggregateError([error, rollbackError], `${message} (and the rollback failed)`, { cause: error });
    }
    throw error;
  } finally {
    connection.release();
  }
}

export const pingMysql = async (pool: Pool): Promise<void> => {
  await pool.query('SELECT 1');
};
