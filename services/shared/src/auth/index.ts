export { formatBearerChallenge, REALM, type BearerChallenge } from './bearer-challenge.js';
export { parseAuthorization, type AuthorizationCredentials } from './bearer-token.js';
export {
  AUTH_UNAVAILABLE_RETRY_AFTER_S,
  authenticate,
  bearerTokenOf,
  idTokenOf,
  invalidRequest,
  invalidToken,
  sessionOf,
  toAuthFailure,
  type AuthenticateOptions,
} from './bearer.js';
export {
  AUTH_CHANNEL_OPTIONS,
  AUTH_HEALTH_SERVICE_NAME,
  DEFAULT_VERIFY_DEADLINE_MS,
  GrpcAuthVerifier,
  appErrorFromGrpc,
  sessionFromResponse,
  type GrpcAuthVerifierOptions,
} from './grpc-auth-verifier.js';
export type { AuthLevel, AuthVerifier, VerifiedSession, VerifyOptions } from './session.js';
