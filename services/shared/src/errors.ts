import { status as GrpcStatus } from '@grpc/grpc-js';

/** Transport-neutral error kinds. Domain code throws these; each transport maps them once, here. */
export type ErrorKind =
  | 'invalid-argument'
  | 'unauthenticated'
  | 'permission-denied'
  | 'not-found'
  | 'conflict'
  | 'failed-precondition'
  | 'payload-too-large'
  | 'unsupported-media-type'
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
  conflict: { httpStatus: 409, grpcStatus: GrpcStatus.ALREADY_EXISTS, title: 'Conflict' },
  'failed-precondition': { httpStatus: 412, grpcStatus: GrpcStatus.FAILED_PRECONDITION, title: 'Precondition Failed' },
  'payload-too-large': { httpStatus: 413, grpcStatus: GrpcStatus.RESOURCE_EXHAUSTED, title: 'Content Too Large' },
  'unsupported-media-type': {
    httpStatus: 415,
    grpcStatus: GrpcStatus.INVALID_ARGUMENT,
    title: 'Unsupported Media Type',
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
