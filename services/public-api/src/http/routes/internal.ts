import { parseRequest } from '@testbed/service-kit';
import { authenticate, sessionOf, type AuthVerifier } from '@testbed/service-kit/auth';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { toActivityResponse, type ActivityStore } from '../../domain/activity.js';
import { internalPostMessageBody, toMessageResponse, type InternalPostMessageBody } from '../../domain/message.dto.js';
import type { MessageStore } from '../../domain/message.store.js';
import { pageQueryFields, toPageRequest, toPageResponse } from '../../domain/paging.dto.js';
import { postMessage } from '../../domain/post-message.js';
import { API_BASE } from '../api-base.js';

declare global {
  // Express types res.locals through this interface; augmenting it is how Express asks to be extended.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      internalPost?: InternalPostMessageBody;
    }
  }
}

/**
 * Routes for other services, served only on INTERNAL_PORT (never on the public port, which the
 * gateway exposes). public-api owns messages and reads the activity feed, so signed-in writes and
 * "my activity" come here instead of secure-api touching the tables. A port of their own lets a
 * NetworkPolicy admit only secure-api; on top of that every call carries the end user's ID token,
 * which is verified with auth-service: the acting user is whoever the token proves, never what
 * the caller says.
 */
export const INTERNAL_BASE = '/internal';

export interface InternalRoutesDeps {
  readonly messages: MessageStore;
  readonly activity: ActivityStore;
  /** auth-service's VerifyToken, for the forwarded tokens. */
  readonly verifier: AuthVerifier;
  /** The write limiter, keyed by `authorKeyOf` so each signed-in author has their own budget. */
  readonly writeLimit: RequestHandler;
}

const activityQuery = z.strictObject({ ...pageQueryFields }).transform((page) => toPageRequest(page));

/** The rate-limit key of an internal write: the verified author's uid. */
export const authorKeyOf = (_req: unknown, res: { locals: Express.Locals }): string => {
  // Never key a budget on nobody: a route limited this way must sit behind authenticate().
  if (!res.locals.session) throw new Error('internal writes are rate-limited after authenticate()');
  return `user:${res.locals.session.uid}`;
};

export function createInternalRouter(deps: InternalRoutesDeps): Router {
  const router = Router();
  // Writes ask auth-service to check revocation, as secure-api does; reads use its cache.
  router.use(authenticate(deps.verifier));

  // Validate before the limiter, so a rejected body does not spend the author's budget.
  const parseBody: RequestHandler = (req, res, next) => {
    res.locals.internalPost = parseRequest(internalPostMessageBody, req.body ?? {}, 'body');
    next();
  };
  router.post('/messages', parseBody, deps.writeLimit, async (req, res) => {
    const { text, author } = res.locals.internalPost as InternalPostMessageBody;
    const { uid } = sessionOf(res);
    const message = await postMessage(deps.messages, { text, author: { uid, displayName: author.displayName } });
    res.status(201).location(`${API_BASE}/messages/${message.id}`).json(toMessageResponse(message));
  });

  router.get('/activity', async (req, res) => {
    const page = parseRequest(activityQuery, req.query, 'query');
    res.json(toPageResponse(await deps.activity.list(page, { actorUid: sessionOf(res).uid }), toActivityResponse));
  });

  return router;
}
