import { InvalidEventError } from './cloud-event.js';

/**
 * An event that no retry can apply (its data breaks a read model's limits, a datastore refuses its
 * values). Consumers dead-letter it on the first delivery instead of retrying it for a minute.
 */
export class PermanentEventError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentEventError';
  }
}

/** How a failed delivery is settled: dead-letter now, or nak and try again after a backoff. */
export type HandlerFailureKind = 'permanent' | 'transient';

// MariaDB/MySQL error codes that mean "these values can never be stored", whatever the server's
// state: https://mariadb.com/kb/en/mariadb-error-code-reference/. The SQLSTATE classes 22 (data
// exception) and 23 (integrity constraint violation) cover the ones not listed by name.
const MYSQL_DATA_ERRORS = new Set([
  'ER_DATA_TOO_LONG',
  'ER_TRUNCATED_WRONG_VALUE',
  'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD',
  'ER_BAD_NULL_ERROR',
  'ER_NO_DEFAULT_FOR_FIELD',
  'ER_WARN_DATA_OUT_OF_RANGE',
  'ER_WARN_DATA_TRUNCATED',
  'ER_INVALID_CHARACTER_STRING',
  'ER_CANNOT_CONVERT_STRING',
  'ER_WRONG_VALUE_COUNT_ON_ROW',
  'ER_DUP_ENTRY',
  'ER_ROW_IS_REFERENCED_2',
  'ER_NO_REFERENCED_ROW_2',
  'ER_CHECK_CONSTRAINT_VIOLATED',
  'ER_CONSTRAINT_FAILED',
]);

const PERMANENT_SQLSTATE = /^2[23]/;

// Redis replies that no retry changes (a key of the wrong type, a script error); connection
// errors, timeouts, LOADING, BUSY and OOM are transient.
const REDIS_PERMANENT_REPLY = /^(WRONGTYPE|ERR (value is not an integer|.*script))/;

/**
 * Classifies what a handler threw. Permanent: an event that does not parse (`InvalidEventError`),
 * a `PermanentEventError`, a MySQL data or constraint error (by code or SQLSTATE class 22/23), a
 * Redis WRONGTYPE or script error. Everything else (connections, timeouts, deadlocks, unknown
 * bugs) is transient: retried with backoff up to the consumer's `max_deliver`, then dead-lettered.
 */
export function classifyHandlerError(error: unknown): HandlerFailureKind {
  if (error instanceof InvalidEventError || error instanceof PermanentEventError) return 'permanent';
  if (typeof error !== 'object' || error === null) return 'transient';
  const { code, sqlState, name, message } = error as { code?: unknown; sqlState?: unknown; name?: unknown; message?: unknown };
  if (typeof code === 'string' && MYSQL_DATA_ERRORS.has(code)) return 'permanent';
  if (typeof sqlState === 'string' && PERMANENT_SQLSTATE.test(sqlState)) return 'permanent';
  if (name === 'ReplyError' && typeof message === 'string' && REDIS_PERMANENT_REPLY.test(message)) return 'permanent';
  return 'transient';
}
