import { describe, expect, it } from 'vitest';
import { InvalidEventError } from './cloud-event.js';
import { PermanentEventError, classifyHandlerError } from './handler-errors.js';

// Shaped like what mysql2 and ioredis throw (code, errno, sqlState; ReplyError).
const mysqlError = (code: string, sqlState: string) => Object.assign(new Error(code), { code, sqlState });
const replyError = (message: string) => Object.assign(new Error(message), { name: 'ReplyError' });
const systemError = (code: string) => Object.assign(new Error(code), { code });

describe('classifyHandlerError', () => {
  it.each([
    ['an event that does not parse', new InvalidEventError(['payload is not JSON'])],
    ['a PermanentEventError', new PermanentEventError('does not fit')],
    ['Data too long', mysqlError('ER_DATA_TOO_LONG', '22001')],
    ['an incorrect datetime value', mysqlError('ER_TRUNCATED_WRONG_VALUE', '22007')],
    ['a NULL in a NOT NULL column', mysqlError('ER_BAD_NULL_ERROR', '23000')],
    ['an unnamed data exception (SQLSTATE class 22)', mysqlError('ER_SOMETHING_NEW', '22003')],
    ['a Redis key of the wrong type', replyError('WRONGTYPE Operation against a key holding the wrong kind of value')],
  ])('when a handler fails with %s, then it is permanent', (_what, error) => {
    expect(classifyHandlerError(error)).toBe('permanent');
  });

  it.each([
    ['a refused connection', systemError('ECONNREFUSED')],
    ['a lost MySQL connection', systemError('PROTOCOL_CONNECTION_LOST')],
    ['a deadlock', mysqlError('ER_LOCK_DEADLOCK', '40001')],
    ['a lock wait timeout', mysqlError('ER_LOCK_WAIT_TIMEOUT', 'HY000')],
    ['Redis still loading', replyError('LOADING Redis is loading the dataset in memory')],
    ['an unknown bug', new Error('boom')],
    ['a thrown string', 'boom'],
  ])('when a handler fails with %s, then it is transient', (_what, error) => {
    expect(classifyHandlerError(error)).toBe('transient');
  });
});
