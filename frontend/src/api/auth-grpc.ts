import { AuthLevel, AuthServiceDefinition, type Session } from '@testbed/protos/auth/v1/web';
import { ClientError, FetchTransport, Metadata, Status, createChannel, createClient } from 'nice-grpc-web';
import { withFreshToken, type TokenSource } from './token-refresh.js';

export { AuthLevel, type Session };

/** A failed AuthService call: `code` is the gRPC status code, `message` what the page shows. */
export class AuthServiceError extends Error {
  override name = 'AuthServiceError';
  constructor(
    /** The gRPC status code the call ended with. */
    readonly code: Status,
    message: string,
  ) {
    super(message);
  }
}

const friendlyMessages: Partial<Record<Status, string>> = {
  [Status.UNAUTHENTICATED]: 'Your session is not valid any more: sign in again.',
  [Status.UNAVAILABLE]: 'The auth service is unavailable.',
  [Status.DEADLINE_EXCEEDED]: 'The auth service did not answer in time.',
  [Status.INVALID_ARGUMENT]: 'The request was not valid.',
};

export interface AuthServiceWebClient {
  /** The session of the token `tokens` gives; an UNAUTHENTICATED answer forces one token refresh and one retry. */
  getSession(tokens: TokenSource): Promise<Session>;
}

const isUnauthenticated = (error: unknown) => error instanceof AuthServiceError && error.code === Status.UNAUTHENTICATED;

/**
 * auth.v1.AuthService over grpc-web (binary: application/grpc-web+proto) on `host` (this page's
 * origin by default): the client is nice-grpc-web's, built from the service definition ts-proto
 * generates, so the method path and codecs come from the .proto. Each call has `timeoutMs`: sent as
 * `grpc-timeout` so the server stops too, and enforced here by aborting the request.
 */
export function createAuthServiceClient(host = window.location.origin, timeoutMs = 5000): AuthServiceWebClient {
  const client = createClient(AuthServiceDefinition, createChannel(host, FetchTransport()));
  async function getSession(idToken: string): Promise<Session> {
    try {
      return await client.getSession(
        {},
        {
          // gRPC's timeout header: an integer and a unit, m for milliseconds.
          metadata: Metadata({ authorization: `Bearer ${idToken}`, 'grpc-timeout': `${timeoutMs}m` }),
          signal: AbortSignal.timeout(timeoutMs),
        },
      );
    } catch (error) {
      if (error instanceof ClientError) {
        throw new AuthServiceError(error.code, friendlyMessages[error.code] ?? (error.details || `gRPC status ${error.code}`));
      }
      // Our own deadline: the abort surfaces as an AbortError (nice-grpc-web) or the signal's TimeoutError.
      if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
        throw new AuthServiceError(Status.DEADLINE_EXCEEDED, friendlyMessages[Status.DEADLINE_EXCEEDED]!);
      }
      throw error;
    }
  }
  return { getSession: (tokens) => withFreshToken(getSession, tokens, isUnauthenticated) };
}

/** The level as the page shows it: the enum value's name without its `AUTH_LEVEL_` prefix, e.g. "AUTHENTICATED". */
export function authLevelName(level: AuthLevel): string {
  return level.replace(/^AUTH_LEVEL_/, '');
}
