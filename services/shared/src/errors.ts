import { status as GrpcStatus } from '@grpc/grpc-js';

/** Transport-neutral error kinds. Domain code throws these; each transport maps them once, here. */
export type ErrorKind =
  | 'invalid-argument'
  | 'unauthenticated'
  | 'permission-denied'
  | 'not-found'
  | 'method-not-allowed'
  | 'conflict'
  | 'failed-precondition'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'unprocessable-content'
  | 'resource-exhausted'
  | 'unavailable'
  | 'deadline-exceeded'
  | 'internal';

interface KindMapping {
  readonly httpStatus: number;
  readonly grpcStatus: GrpcStatus;
  readonly title: string;
}

export const errorKinds: Readonly<Record<ErrorKind, KindMapping>> = {
  'invalid-argument': { httpStatus: 400, grpcStatus: GrpcStatus.INVALID_ARGUMENT, title: 'Bad Request' },
  unauthenticated: { httpStatus: 401, grpcStatus: GrpcStatus.UNAUTHENTICATED, title: 'Unauthorized' },
  'permission-denied': { httpStatus: 403, grpcStatus: GrpcStatus.PERMISSION_DENIED, title: 'Forbidden' },
  'not-found': { httpStatus: 404, grpcStatus: GrpcStatus.NOT_FOUND, title: 'Not Found' },
  // The path exists but not with this method (RFC 9110 section 15.5.6); the answer lists the methods in `Allow`.
  'method-not-allowed': { httpStatus: 405, grpcStatus: GrpcStatus.UNIMPLEMENTED, title: 'Method Not Allowed' },
  conflict: { httpStatus: 409, grpcStatus: GrpcStatus.ALREADY_EXISTS, title: 'Conflict' },
  'failed-precondition': { httpStatus: 412, grpcStatus: GrpcStatus.FAILED_PRECONDITION, title: 'Precondition Failed' },
  'payload-too-large': { httpStatus: 413, grpcStatus: GrpcStatus.RESOURCE_EXHAUSTED, title: 'Content Too Large' },
  'unsupported-media-type': {
    httpStatus: 415,
    grpcStatus: GrpcStatus.INVALID_ARGUMENT,
    title: 'Unsupported Media Type',
  },
  // The request is well-formed but its values cannot be stored (RFC 9110 section 15.5.21).
  'unprocessable-content': {
    httpStatus: 422,
    grpcStatus: GrpcStatus.INVALID_ARGUMENT,
    title: 'Unprocessable Content',
  },
  'resource-exhausted': { httpStatus: 429, grpcStatus: GrpcStatus.RESOURCE_EXHAUSTED, title: 'Too Many Requests' },
  unavailable: { httpStatus: 503, grpcStatus: GrpcStatus.UNAVAILABLE, title: 'Service Unavailable' },
  'deadline-exceeded': { httpStatus: 504, grpcStatus: GrpcStatus.DEADLINE_EXCEEDED, title: 'Gateway Timeout' },
  internal: { httpStatus: 500, grpcStatus: GrpcStatus.INTERNAL, title: 'Internal Server Error' },
};

export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

export interface AppErrorOptions {
  /** Per-field problems, shown to the client as the problem's `errors` member. */
  readonly errors?: readonly FieldProblem[];
  /** Extra response headers, e.g. `WWW-Authenticate` or `Retry-After`. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly cause?: unknown;
}

/** An error whose message is safe to show to the caller. */
export class AppError extends Error {
  readonly errors: readonly FieldProblem[] | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly kind: ErrorKind,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

/**
 * Maps an HTTP error status received from another service back to a kind, so a 4xx problem can be
 * passed on as the same problem; statuses with no kind of their own become invalid-argument (4xx)
 * or internal.
 */
export function kindFromHttpStatus(status: number): ErrorKind {
  const match = (Object.entries(errorKinds) as [ErrorKind, KindMapping][]).find(([, m]) => m.httpStatus === status);
  if (match) return match[0];
  return status >= 400 && status < 500 ? 'invalid-argument' : 'internal';
}

/** Maps a gRPC status received from another service back to a kind, e.g. UNAVAILABLE -> unavailable. */
export function kindFromGrpcStatus(code: GrpcStatus): ErrorKind {
  switch (code) {
    case GrpcStatus.INVALID_ARGUMENT:
      return 'invalid-argument';
    case GrpcStatus.UNAUTHENTICATED:
      return 'unauthenticated';
    case GrpcStatus.PERMISSION_DENIED:
      return 'permission-denied';
    case GrpcStatus.NOT_FOUND:
      return 'not-found';
    case GrpcStatus.FAILED_PRECONDITION:
      return 'failed-precondition';
    case GrpcStatus.RESOURCE_EXHAUSTED:
      return 'resource-exhausted';
    case GrpcStatus.UNAVAILABLE:
    case GrpcStatus.CANCELLED:
      return 'unavailable';
    case GrpcStatus.DEADLINE_EXCEEDED:
      return 'deadline-exceeded';
    default:
      return 'internal';
  }
}

/** Seconds a client is asked to wait (Retry-After) when a dependency is down, hung or overloaded. */
export const DEPENDENCY_RETRY_AFTER_S = 5;

/**
 * How a failure behaves if the same call is tried again:
 * - `transient`: the dependency was refused, reset, lost, timed out or overloaded; retrying later can
 *   succeed (HTTP 503 + Retry-After, gRPC UNAVAILABLE, an event is redelivered with backoff).
 * - `data`: the database refused the values themselves (too long, wrong value, duplicate key,
 *   constraint); retrying the same values fails the same way (4xx when the client chose them, else 500).
 * - `other`: anything else, a bug until shown otherwise (500).
 */
export type FailureClass = 'transient' | 'data' | 'other';

// Node socket errors (https://nodejs.org/api/errors.html#common-system-errors) and mysql2's own codes
// for a connection that was lost or a command that got no answer in time.
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  // MySQL/MariaDB server errors that mean "not now": overload, failover, a killed or timed-out session.
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_OUT_OF_RESOURCES',
  'ER_CANT_CREATE_THREAD',
  'ER_SERVER_SHUTDOWN',
  'ER_QUERY_INTERRUPTED',
  'ER_CONNECTION_KILLED',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'ER_OPTION_PREVENTS_STATEMENT',
  'ER_READ_ONLY_MODE',
  'ER_CLIENT_INTERACTION_TIMEOUT',
  // The kit's own pool wait timeout (clients/mysql.ts).
  'POOL_WAIT_TIMEOUT',
]);

// Errors without a code, matched by message: mysql2's pool (lib/base/pool.js) and connection, and ioredis
// (built/Redis.js, built/Command.js) when it is offline, closed or too slow.
const TRANSIENT_MESSAGES = [
  /^Queue limit reached\.$/,
  /^No connections available\.$/,
  /^Pool is closed\.$/,
  /^Can't add new command when connection is in closed state$/,
  /^Connection is closed\.$/,
  /^Stream isn't writeable and enableOfflineQueue options is false$/,
  /^Command timed out$/,
  /^Socket timeout\./,
];

// ioredis and @nats-io error classes that mean the connection, not the request, failed.
const TRANSIENT_NAMES = new Set([
  'MaxRetriesPerRequestError',
  'ConnectionError',
  'ClosedConnectionError',
  'DrainingConnectionError',
  'TimeoutError',
  'NoResponders',
]);

// MySQL/MariaDB data errors that carry a value problem but not an SQLSTATE of class 22 or 23.
const DATA_CODES = new Set([
  'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD',
  'ER_TRUNCATED_WRONG_VALUE',
  'ER_DATA_TOO_LONG',
  'ER_WARN_DATA_OUT_OF_RANGE',
  'ER_DUP_ENTRY',
  'ER_BAD_NULL_ERROR',
  'ER_NO_REFERENCED_ROW_2',
  'ER_ROW_IS_REFERENCED_2',
  'ER_CHECK_CONSTRAINT_VIOLATED',
  'ER_INVALID_CHARACTER_STRING',
  'ER_INVALID_JSON_TEXT',
]);

interface ErrorFields {
  code?: unknown;
  sqlState?: unknown;
  message?: unknown;
  name?: unknown;
  cause?: unknown;
  errors?: unknown;
}

function classifyOne(error: ErrorFields): FailureClass {
  const code = typeof error.code === 'string' ? error.code : undefined;
  const sqlState = typeof error.sqlState === 'string' ? error.sqlState : undefined;
  const message = typeof error.message === 'string' ? error.message : '';
  if (code && TRANSIENT_CODES.has(code)) return 'transient';
  // SQLSTATE classes (ISO/IEC 9075): 08 connection exception, 40 transaction rollback (deadlock),
  // 22 data exception, 23 integrity constraint violation (duplicate key, foreign key, CHECK, NOT NULL).
  if (sqlState?.startsWith('08') || sqlState?.startsWith('40')) return 'transient';
  if (sqlState?.startsWith('22') || sqlState?.startsWith('23')) return 'data';
  if (code && DATA_CODES.has(code)) return 'data';
  if (typeof error.name === 'string' && TRANSIENT_NAMES.has(error.name)) return 'transient';
  if (TRANSIENT_MESSAGES.some((pattern) => pattern.test(message))) return 'transient';
  return 'other';
}

/**
 * Classifies a failure by looking at it, its `cause` chain and an AggregateError's members: transient
 * wins over data, data over other, so a rollback that failed because the connection dropped still
 * reads as transient. The one place the kit decides what is worth retrying.
 */
export function classifyFailure(error: unknown): FailureClass {
  const seen = new Set<unknown>();
  let result: FailureClass = 'other';
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || seen.has(value) || result === 'transient') return;
    seen.add(value);
    if (value instanceof AppError) {
      if (value.kind === 'unavailable' || value.kind === 'deadline-exceeded') result = 'transient';
      return;
    }
    const fields = value as ErrorFields;
    const own = classifyOne(fields);
    if (own === 'transient' || (own === 'data' && result === 'other')) result = own;
    visit(fields.cause);
    if (Array.isArray(fields.errors)) fields.errors.forEach(visit);
  };
  visit(error);
  return result;
}

/**
 * The AppError a failure stands for: AppErrors as they are; transient failures as `unavailable`
 * with Retry-After; data errors and everything else as `internal` (not retryable). Transports call
 * this once (the HTTP error middleware, the gRPC handler adapter) instead of classifying themselves.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (classifyFailure(error) === 'transient') {
    return new AppError('unavailable', 'a service this request needs is unavailable, retry shortly', {
      headers: { 'Retry-After': String(DEPENDENCY_RETRY_AFTER_S) },
      cause: error,
    });
  }
  return new AppError('internal', 'an unexpected error occurred', { cause: error });
}

/**
 * The column a MySQL/MariaDB data error names ("Data too long for column 'text'", "Incorrect string
 * value: ... for column `db`.`messages`.`author_uid`"), or undefined when it names none.
 */
export function dataErrorColumn(error: unknown): string | undefined {
  if (classifyFailure(error) !== 'data') return undefined;
  const message = (error as { sqlMessage?: unknown; message?: unknown }).sqlMessage ?? (error as Error).message;
  if (typeof message !== 'string') return undefined;
  const match = /for column [`']?(?:[^`'\s]+[`']?\.[`']?)*([^`'\s.]+)[`']?/.exec(message) ?? /^Column '([^']+)' cannot be null/.exec(message);
  return match?.[1];
}

/**
 * For an adapter that stores values the client chose: when the database refused one of them, the
 * client's mistake as a 422 naming the request field (`columns` maps column name to field path); a
 * duplicate key as a 409 when `duplicateIsConflict`. Any other failure is returned unchanged, for
 * toAppError to classify (a value the client did not choose is our bug: 500).
 */
export function clientDataError(error: unknown, columns: Readonly<Record<string, string>>, options: { duplicateIsConflict?: string } = {}): unknown {
  if (classifyFailure(error) !== 'data') return error;
  const code = (error as { code?: unknown }).code;
  if (code === 'ER_DUP_ENTRY' && options.duplicateIsConflict) {
    return new AppError('conflict', options.duplicateIsConflict, { cause: error });
  }
  const column = dataErrorColumn(error);
  const field = column === undefined ? undefined : columns[column];
  if (field === undefined) return error;
  return new AppError('unprocessable-content', `${field} cannot be stored as given`, {
    errors: [{ path: field, message: 'value cannot be stored (too long, out of range or not representable)' }],
    cause: error,
  });
}
