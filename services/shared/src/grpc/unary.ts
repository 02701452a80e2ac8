import { Metadata, status as GrpcStatus, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { parseAuthorization } from '../auth/bearer-token.js';
import { AppError, errorKinds, toAppError } from '../errors.js';
import type { Metrics } from '../metrics.js';

export interface GrpcErrorPayload {
  code: GrpcStatus;
  details: string;
  metadata: Metadata;
}

/**
 * AppErrors keep their kind and message; a dependency failure (errors.ts classifyFailure) becomes
 * UNAVAILABLE; anything else becomes INTERNAL with no detail leaked.
 */
export function toGrpcError(error: unknown, logger: Logger): GrpcErrorPayload {
  if (error instanceof AppError) {
    return { code: errorKinds[error.kind].grpcStatus, details: error.message, metadata: new Metadata() };
  }
  const appError = toAppError(error);
  if (appError.kind === 'internal') logger.error({ err: error }, 'unhandled error in gRPC handler');
  else logger.warn({ err: error }, 'gRPC call failed on a dependency');
  return {
    code: errorKinds[appError.kind].grpcStatus,
    details: appError.kind === 'internal' ? 'internal error' : appError.message,
    metadata: new Metadata(),
  };
}

/**
 * Adapts an async handler to grpc-js's callback style, maps errors through the kind table and
 * records the call's duration and status code.
 */
export function unaryHandler<Req, Res>(
  method: string,
  deps: { logger: Logger; metrics: Metrics },
  handler: (request: Req, call: ServerUnaryCall<Req, Res>) => Promise<Res>,
): (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => void {
  return (call, callback) => {
    const end = deps.metrics.grpcDuration.startTimer({ method });
    handler(call.request, call).then(
      (response) => {
        end({ code: GrpcStatus[GrpcStatus.OK] });
        callback(null, response);
      },
      (error: unknown) => {
        const payload = toGrpcError(error, deps.logger);
        end({ code: GrpcStatus[payload.code] });
        callback(payload, null);
      },
    );
  };
}

/**
 * The bearer token from `authorization` metadata, as grpc-web browsers send it; undefined when
 * there is none or it is not a bearer token. Throws an `invalid-argument` AppError (gRPC
 * INVALID_ARGUMENT) when the metadata holds more than one credential: which one counts must never
 * depend on which a proxy or library kept (RFC 6750 §3.1 `invalid_request`).
 */
export function bearerFromMetadata(metadata: Metadata): string | undefined {
  const values = metadata.get('authorization').map((value) => (typeof value === 'string' ? value : value.toString()));
  const credentials = parseAuthorization(values);
  if (credentials.kind === 'several') {
    throw new AppError('invalid-argument', 'send exactly one authorization entry with one bearer token');
  }
  return credentials.kind === 'bearer' ? credentials.token : undefined;
}
