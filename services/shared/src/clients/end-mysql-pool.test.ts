import type { Pool } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { endMysqlPool } from './mysql.js';

// mysql2's pool.end() rejects when a connection it ends is already gone. CI once saw that turn a
// clean shutdown into a failed one after public-api's pool-full outage test ("Connection lost: The
// server closed the connection."); the timing that produces it was not reproducible on demand, so
// the rule is tested on the error mysql2 gives.
const poolEndingWith = (error: Error | undefined) => ({ end: () => (error ? Promise.reject(error) : Promise.resolve()) }) as unknown as Pool;
const mysqlError = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('endMysqlPool', () => {
  it('when the pool ends, then it resolves', async () => {
    await expect(endMysqlPool(poolEndingWith(undefined))).resolves.toBeUndefined();
  });

  it.each(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE'])(
    'when a connection was already lost (%s), then it resolves: the pool is closed all the same',
    async (code) => {
      await expect(endMysqlPool(poolEndingWith(mysqlError('Connection lost: The server closed the connection.', code)))).resolves.toBeUndefined();
    },
  );

  it('when ending fails for another reason, then it rejects with that error', async () => {
    const error = mysqlError('Pool is closed.', 'ER_POOL_CLOSED');
    await expect(endMysqlPool(poolEndingWith(error))).rejects.toBe(error);
  });
});
