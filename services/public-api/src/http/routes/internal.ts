import { routeOperations } from '@testbed/service-kit';
import { internalApiOperations } from '@testbed/contracts/http';
import { authenticate, sessionOf, type AuthVerifier } from '@testbed/service-kit/auth';
import { Router, type RequestHandler } from 'express';
import type { ActivityFeed } from '../../domain/activity.js';
import { toMessageResponse } from '../../domain/message.dto.js';
import type { MessageStore } from '../../domain/message.store.js';
import { postMessage } from '../../domain/post-message.js';
import { API_BASE } from '../api-base.js';

/**
 * Routes for other services, served only on INTERNAL_PORT (never on the public port, which the
 * gateway exposes). public-api owns messages and serves the activity feed (read from its owner,
 * event-consumer), so signed-in writes and
 * "my activity" come here instead of secure-api touching the tables. A port of their own lets a
 * NetworkPolicy admit only secure-api; on top of that every call carries the end user's ID token,
 * which is verified with auth-service: the acting user is whoever the token proves, never what
 * the caller says.
 */
export const INTERNAL_BASE = '/internal';

export interface InternalRoutesDeps {
  readonly messages: MessageStore;
  readonly activity: ActivityFeed;
  /** auth-service's VerifyToken, for the forwarded tokens. */
  readonly verifier: AuthVerifier;
  /** The write limiter, keyed by `authorKeyOf` so each signed-in author has their own budget. */
  readonly writeLimit: RequestHandler;
}

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

  routeOperations(router, internalApiOperations, {
    postMessageAs: {
      // After validation, so a rejected body does not spend the author's budget.
      after: [deps.writeLimit],
      handle: async ({ body }, _req, res) => {
        const message = await postMessage(deps.messages, { text: body.text, author: { uid: sessionOf(res).uid, displayName: body.author.displayName } });
        res.status(201).location(`${API_BASE}/messages/${message.id}`).json(toMessageResponse(message));
      },
    },
    listActivityOf: async ({ query }, _req, res) => {
      res.json(await deps.activity.list(query, { actorUid: sessionOf(res).uid }));
    },
  });

  return router;
}
