import { AppError } from '@testbed/service-kit';
import { formatBearerChallenge, sessionOf } from '@testbed/service-kit/auth';
import type { RequestHandler } from 'express';

/**
 * 401 with the RFC 9470 step-up challenge. `maxAgeS` is auth-service's fresh sign-in window, as
 * VerifyToken announced it; without one the challenge asks for a new sign-in without a bound.
 */
function stepUpRequired(maxAgeS: number | undefined): AppError {
  const description = 'A recent sign-in is required';
  return new AppError('unauthenticated', description, {
    headers: {
      'WWW-Authenticate': formatBearerChallenge({
        error: 'insufficient_user_authentication',
        description,
        ...(maxAgeS === undefined ? {} : { maxAge: maxAgeS }),
      }),
    },
  });
}

/** Only a fresh sign-in may pass; an older token gets the RFC 9470 step-up challenge. */
export const requireAuthenticated: RequestHandler = (_req, res, next) => {
  const session = sessionOf(res);
  if (session.level !== 'AUTHENTICATED') throw stepUpRequired(session.freshAuthMaxAgeS);
  next();
};
