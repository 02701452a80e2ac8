import type { ServerUnaryCall } from '@grpc/grpc-js';
import { AppError, bearerFromMetadata, unaryHandler, type Logger, type Metrics } from '@testbed/service-kit';
import type { AuthServiceServer } from '@testbed/protos/auth/v1';
import type { VerifyToken } from '../domain/verify-token.js';

/** The caller's deadline in milliseconds since the epoch; undefined when it set none. */
function deadlineMsOf(call: Pick<ServerUnaryCall<unknown, unknown>, 'getDeadline'>): number | undefined {
  const deadline = call.getDeadline();
  const ms = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(ms) ? ms : undefined;
}

export function authServiceHandlers(deps: {
  verifyToken: VerifyToken;
  /** The window VerifyToken grades AUTHENTICATED by; returned so callers announce the same max_age. */
  freshAuthWindowS: number;
  logger: Logger;
  metrics: Metrics;
}): AuthServiceServer {
  return {
    verifyToken: unaryHandler('VerifyToken', deps, async (request, call) => {
      const options = { checkRevoked: request.checkRevoked, deadlineMs: deadlineMsOf(call) };
      const session = await deps.verifyToken.execute(request.idToken, options);
      // The domain's Session is the `auth.v1.Session` message with a narrower level: sent as it is.
      return { session, freshAuthMaxAgeSeconds: deps.freshAuthWindowS };
    }),
    getSession: unaryHandler('GetSession', deps, async (_request, call) => {
      const token = bearerFromMetadata(call.metadata);
      if (token === undefined) throw new AppError('unauthenticated', 'missing bearer token');
      return deps.verifyToken.execute(token, { checkRevoked: false, deadlineMs: deadlineMsOf(call) });
    }),
  };
}
