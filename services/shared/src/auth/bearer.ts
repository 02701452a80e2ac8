import type { Request, RequestHandler, Response } from 'express';
import { AppError, type ErrorKind } from '../errors.js';
import { formatBearerChallenge } from './bearer-challenge.js';
import { parseAuthorization } from './bearer-token.js';
import type { AuthVerifier, VerifiedSession } from './session.js';

declare global {
  // Express types res.locals through this interface; augmenting it is how Express asks to be extended.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** The caller auth-service vouched for; set by authenticate(). */
      session?: VerifiedSession;
      /** The caller's verified ID token, to forward to services that check it themselves. */
      idToken?: string;
    }
  }
}

/** Seconds a client should wait before retrying while auth-service is unreachable. */
export const AUTH_UNAVAILABLE_RETRY_AFTER_S = 5;

// RFC 9110 §9.2.1: methods that do not change anything; everything else is a write.
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

const TOKEN_REJECTED_KINDS: ReadonlySet<ErrorKind> = new Set(['unauthenticated', 'invalid-argument']);

/** 401 with an RFC 6750 `invalid_token` challenge. */
export function invalidToken(description: string, cause?: unknown): AppError {
  return new AppError('unauthenticated', description, {
    headers: { 'WWW-Authenticate': formatBearerChallenge({ error: 'invalid_token', description }) },
    cause,
  });
}

/** 400 with an RFC 6750 `invalid_request` challenge: the request itself is malformed. */
export function invalidRequest(description: string): AppError {
  return new AppError('invalid-argument', description, {
    headers: { 'WWW-Authenticate': formatBearerChallenge({ error: 'invalid_request', description }) },
  });
}

/**
 * What a verifier failure means for the caller: a rejected token is a 401; anything else is our
 * dependency failing, a 503 the client can retry. It must never look like a bad token, or the SPA
 * would sign the user out because auth-service restarted.
 */
export function toAuthFailure(error: unknown): AppError {
  if (error instanceof AppError && TOKEN_REJECTED_KINDS.has(error.kind)) {
    return invalidToken(error.message, error);
  }
  return new AppError('unavailable', 'the authentication service is unavailable, retry shortly', {
    headers: { 'Retry-After': String(AUTH_UNAVAILABLE_RETRY_AFTER_S) },
    cause: error,
  });
}

/**
 * The request's bearer token. Throws a 401 `invalid_token` AppError when it is missing or not a
 * bearer token, and a 400 `invalid_request` one when the request carries more than one credential.
 * Reads `headersDistinct`, because `req.headers` silently keeps the first of duplicates.
 */
export function bearerTokenOf(req: Request): string {
  const credentials = parseAuthorization(req.headersDistinct['authorization'] ?? []);
  switch (credentials.kind) {
    case 'missing':
      throw invalidToken('Missing bearer token');
    case 'several':
      throw invalidRequest('Send exactly one Authorization header with one bearer token');
    case 'malformed':
      throw invalidToken('Malformed Authorization header, expected: Bearer <token>');
    case 'bearer':
      return credentials.token;
  }
}

export interface AuthenticateOptions {
  /**
   * Whether this request's verification must check revocation and disabled users
   * (VerifyToken's check_revoked). Default: every write, i.e. any method but GET, HEAD, OPTIONS
   * and TRACE. Reads rely on auth-service's cache, so a revoked token may still read until its
   * cache entry expires (docs/auth.md states the bound).
   */
  readonly checkRevoked?: (req: Request) => boolean;
}

const isWrite = (req: Request) => !SAFE_METHODS.has(req.method);

/**
 * Verifies the bearer token of every request and puts the session on `res.locals.session` and the
 * token on `res.locals.idToken`. Failures are problems: 400 for several credentials, 401 for a bad
 * or missing token, 503 with Retry-After when auth-service cannot answer.
 */
export function authenticate(verifier: AuthVerifier, options: AuthenticateOptions = {}): RequestHandler {
  const checkRevoked = options.checkRevoked ?? isWrite;
  return async (req, res, next) => {
    const token = bearerTokenOf(req);
    try {
      res.locals.session = await verifier.verify(token, { checkRevoked: checkRevoked(req) });
    } catch (error) {
      throw toAuthFailure(error);
    }
    res.locals.idToken = token;
    next();
  };
}

/** The session `authenticate` verified; calling this on a route without it is a wiring bug. */
export function sessionOf(res: Response): VerifiedSession {
  const session = res.locals.session;
  if (!session) throw new Error('route reads the session but is not behind authenticate()');
  return session;
}

/** The token `authenticate` verified, to forward; calling this on a route without it is a wiring bug. */
export function idTokenOf(res: Response): string {
  const token = res.locals.idToken;
  if (token === undefined) throw new Error('route reads the token but is not behind authenticate()');
  return token;
}
