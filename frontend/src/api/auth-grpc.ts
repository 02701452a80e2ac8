import { AuthLevel, GetSessionRequest, Session } from '@testbed/protos/auth/v1/web';
import { GrpcWebClientBase, MethodDescriptor, MethodType, RpcError, StatusCode } from 'grpc-web';
import { withFreshToken, type TokenSource } from './token-refresh.js';

export { AuthLevel, type Session };

// protoc-gen-grpc-web does not install here, so the descriptor is written by hand around the
// ts-proto codecs. ts-proto messages are plain objects: the "type" arguments are only nominal.
const getSessionMethod = new MethodDescriptor<GetSessionRequest, Session>(
  '/auth.v1.AuthService/GetSession',
  MethodType.UNARY,
  Object,
  Object as unknown as new () => Session,
  (request: GetSessionRequest) => GetSessionRequest.encode(request).finish(),
  (bytes: Uint8Array) => Session.decode(bytes),
);

export class AuthServiceError extends Error {
  override name = 'AuthServiceError';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const friendlyMessages: Partial<Record<number, string>> = {
  [StatusCode.UNAUTHENTICATED]: 'Your session is not valid any more: sign in again.',
  [StatusCode.UNAVAILABLE]: 'The auth service is unavailable.',
  [StatusCode.DEADLINE_EXCEEDED]: 'The auth service did not answer in time.',
  [StatusCode.INVALID_ARGUMENT]: 'The request was not valid.',
};

export interface AuthServiceWebClient {
  /** The session of the token `tokens` gives; an UNAUTHENTICATED answer forces one token refresh and one retry. */
  getSession(tokens: TokenSource): Promise<Session>;
}

const isUnauthenticated = (error: unknown) => error instanceof AuthServiceError && error.code === StatusCode.UNAUTHENTICATED;

/** auth.v1.AuthService over grpc-web (binary: application/grpc-web+proto) on `host` (this page's origin by default). */
export function createAuthServiceClient(host = window.location.origin, timeoutMs = 5000): AuthServiceWebClient {
  const client = new GrpcWebClientBase({ format: 'binary' });
  async function getSession(idToken: string): Promise<Session> {
    try {
      // grpc-web 2.1's typings declare thenableCall, but its runtime only ships unaryCall.
      return await client.unaryCall(`${host}${getSessionMethod.getName()}`, GetSessionRequest.fromPartial({}), {
        authorization: `Bearer ${idToken}`,
        // The runtime turns this into a grpc-timeout header.
        deadline: String(Date.now() + timeoutMs),
      }, getSessionMethod);
    } catch (error) {
      if (error instanceof RpcError) {
        throw new AuthServiceError(error.code, friendlyMessages[error.code] ?? (error.message || `gRPC status ${error.code}`));
      }
      throw error;
    }
  }
  return { getSession: (tokens) => withFreshToken(getSession, tokens, isUnauthenticated) };
}

export function authLevelName(level: AuthLevel): string {
  switch (level) {
    case AuthLevel.AUTH_LEVEL_AUTHENTICATED:
      return 'AUTHENTICATED';
    case AuthLevel.AUTH_LEVEL_AUTHORIZED:
      return 'AUTHORIZED';
    default:
      return 'UNSPECIFIED';
  }
}
