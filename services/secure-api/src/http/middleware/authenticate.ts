import { AppError, type ErrorKind } from '@testbed/service-kit';
import type { RequestHandler, Response } from 'express';
import type { AuthVerifier } from '../../domain/auth-verifier.js';
import type { VerifiedSession } from '../../domain/session.js';
import { formatBearerChallenge } from '../bearer-challenge.js';

declare global {
  // Express types res.locals through this interface; augmenting it is how Express asks to be extended.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      session?: VerifiedSession;
    }
  }
}

/** Seconds a client should wait before retrying while auth-service is unreachable. */
export const AUTH_UNAVAILABLE_RETRY_AFTER_S = 5;

// RFC 6750 b64token: the characters a bearer token may contain.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

const TOKEN_REJECTED_KINDS: ReadonlySet<ErrorKind> = new Set(['unauthenticated', 'invalid-argument']);

export function invalidToken(description: string, cause?: unknown): AppError {
  return new AppError('unauthenticated', description, {
    headers: { 'WWW-Authenticate': formatBearerChallenge({ error: 'invalid_token', description }) },
    cause,
  });
}

export function stepUpRequired(maxAgeS: number): AppError {
  const description = 'A recent sign-in is required';
  return new AppError('unauthenticated', description, {
    headers: {
      'WWW-Authenticate': formatBearerChallenge({
        error: 'insufficient_user_authentication',
        description,
        maxAge: maxAgeS,
      }),
    },
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

export function bearerToken(header: string | undefined): string | undefined {
  return header === undefined ? undefined : BEARER.exec(header.trim())?.[1];
}

/** Verifies the bearer token on every request and puts the session on `res.locals.session`. */
export function authenticate(verifier: AuthVerifier): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    if (header === undefined) throw invalidToken('Missing bearer token');
    const token = bearerToken(header);
    if (token === undefined) throw invalidToken('Malformed Authorization header, expected: Bearer <token>');
    try {
      res.locals.session = await verifier.verify(token);
    } catch (error) {
      throw toAuthFailure(error);
    }
    next();
  };
}

/** Only a fresh sign-in may pass; an older token gets the RFC 9470 step-up challenge. */
export function requireAuthenticated(maxAgeS: number): RequestHandler {
  return (_req, res, next) => {
    if (sessionOf(res).level !== 'AUTHENTICATED') throw stepUpRequired(maxAgeS);
    next();
  };
}

/** The session `authenticate` verified; calling this on a route without it is a wiring bug. */
export function sessionOf(res: Response): VerifiedSession {
  const session = res.locals.session;
  if (!session) throw new Error('route reads the session but is not behind authenticate()');
  return session;
}
