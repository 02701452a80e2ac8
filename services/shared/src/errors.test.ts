import { describe, expect, it } from 'vitest';
import { classifyFailure, clientDataError, dataErrorColumn, kindFromHttpStatus, toAppError } from './errors.js';

describe('kindFromHttpStatus', () => {
  it('when a status has its own kind, then that kind comes back, so a problem can be passed on unchanged', () => {
    expect(kindFromHttpStatus(400)).toBe('invalid-argument');
    expect(kindFromHttpStatus(404)).toBe('not-found');
    expect(kindFromHttpStatus(429)).toBe('resource-exhausted');
    expect(kindFromHttpStatus(503)).toBe('unavailable');
  });

  it('when a status has no kind of its own, then a 4xx is invalid-argument and anything else internal', () => {
    expect(kindFromHttpStatus(418)).toBe('invalid-argument');
    expect(kindFromHttpStatus(502)).toBe('internal');
  });
});

const withCode = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields);

describe('classifyFailure', () => {
  it.each([
    ['connection refused', withCode('connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED' })],
    ['connection reset', withCode('read ECONNRESET', { code: 'ECONNRESET' })],
    ['connection lost', withCode('Connection lost: The server closed the connection.', { code: 'PROTOCOL_CONNECTION_LOST' })],
    ['connect timeout', withCode('connect ETIMEDOUT', { code: 'ETIMEDOUT' })],
    ['query timeout', withCode('Query inactivity timeout', { code: 'PROTOCOL_SEQUENCE_TIMEOUT' })],
    ['pool queue full', new Error('Queue limit reached.')],
    ['deadlock', withCode('Deadlock found', { code: 'ER_LOCK_DEADLOCK', errno: 1213, sqlState: '40001' })],
    ['too many connections', withCode('Too many connections', { code: 'ER_CON_COUNT_ERROR', sqlState: '08004' })],
    ['redis offline', new Error("Stream isn't writeable and enableOfflineQueue options is false")],
    ['redis closed', new Error('Connection is closed.')],
    ['redis command timeout', new Error('Command timed out')],
    ['redis retries exhausted', Object.assign(new Error('Reached the max retries per request limit'), { name: 'MaxRetriesPerRequestError' })],
    ['nats connection', Object.assign(new Error('connection refused'), { name: 'ConnectionError' })],
    ['nats closed', Object.assign(new Error('closed connection'), { name: 'ClosedConnectionError' })],
  ])('when the failure is %s, then it is transient', (_label, error) => {
    expect(classifyFailure(error)).toBe('transient');
    expect(toAppError(error)).toMatchObject({ kind: 'unavailable', headers: { 'Retry-After': expect.any(String) } });
  });

  it.each([
    ['data too long', withCode("Data too long for column 'text' at row 1", { code: 'ER_DATA_TOO_LONG', sqlState: '22001' })],
    [
      'incorrect string value',
      withCode("Incorrect string value: '\\xC3\\xBCrgen' for column `db`.`messages`.`author_uid` at row 1", {
        code: 'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD',
        sqlState: 'HY000',
      }),
    ],
    ['duplicate key', withCode("Duplicate entry 'a' for key 'PRIMARY'", { code: 'ER_DUP_ENTRY', sqlState: '23000' })],
    ['a MariaDB CHECK constraint', withCode('CONSTRAINT `c` failed', { errno: 4025, sqlState: '23000' })],
  ])('when the failure is %s, then it is a data error, never retryable', (_label, error) => {
    expect(classifyFailure(error)).toBe('data');
    expect(toAppError(error).kind).toBe('internal');
  });

  it('when a data error is wrapped by a failure to reach the database, then the transient cause wins', () => {
    const lost = withCode('Connection lost', { code: 'PROTOCOL_CONNECTION_LOST' });
    const data = withCode('Data too long', { code: 'ER_DATA_TOO_LONG', sqlState: '22001' });
    expect(classifyFailure(new AggregateError([data, lost], 'rollback failed'))).toBe('transient');
    expect(classifyFailure(new Error('outer', { cause: data }))).toBe('data');
  });

  it('when the failure is a plain bug, then it is other and a 500', () => {
    expect(classifyFailure(new TypeError('x is undefined'))).toBe('other');
    expect(toAppError(new TypeError('x is undefined')).kind).toBe('internal');
  });
});

describe('clientDataError', () => {
  const tooLong = withCode("Data too long for column 'text' at row 1", { code: 'ER_DATA_TOO_LONG', sqlState: '22001' });
  const badUid = withCode("Incorrect string value: '\\xC3' for column `db`.`messages`.`author_uid` at row 1", {
    code: 'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD',
    sqlState: 'HY000',
  });

  it('when the database refuses a value the client chose, then it is a 422 naming the request field', () => {
    expect(dataErrorColumn(badUid)).toBe('author_uid');
    expect(clientDataError(tooLong, { text: 'text' })).toMatchObject({
      kind: 'unprocessable-content',
      errors: [{ path: 'text' }],
    });
  });

  it('when the refused value is not one the client chose, then the error stays as it is (a 500)', () => {
    expect(clientDataError(badUid, { text: 'text' })).toBe(badUid);
  });
});
