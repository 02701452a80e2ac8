import { parseRequest } from '@testbed/service-kit';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { toActivityResponse, type ActivityStore } from '../../domain/activity.js';
import { UID_MAX } from '../../domain/message.js';
import { internalPostMessageBody, toMessageResponse, type InternalPostMessageBody } from '../../domain/message.dto.js';
import type { MessageStore } from '../../domain/message.store.js';
import { pageQueryFields, toPageRequest, toPageResponse } from '../../domain/paging.dto.js';
import { postMessage } from '../../domain/post-message.js';
import { traceparentOf } from '../traceparent.js';
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
 * Routes for other services, on the service port but outside API_BASE, so the gateway (which
 * forwards only /api/public/**) never exposes them; in the cluster a NetworkPolicy lets only
 * secure-api reach this port's /internal paths. public-api owns messages and reads the activity
 * feed, so signed-in writes and "my activity" come here instead of secure-api touching the tables.
 */
export const INTERNAL_BASE = '/internal';

export interface InternalRoutesDeps {
  readonly messages: MessageStore;
  readonly activity: ActivityStore;
  /** The write limiter, keyed by `authorKeyOf` so each signed-in author has their own budget. */
  readonly writeLimit: RequestHandler;
}

const activityQuery = z
  .strictObject({ actorUid: z.string().min(1).max(UID_MAX), ...pageQueryFields })
  .transform(({ actorUid, ...page }) => ({ actorUid, page: toPageRequest(page) }));

/** The rate-limit key of an internal write: the author's uid, which parseBody has validated by then. */
export const authorKeyOf = (_req: unknown, res: { locals: Express.Locals }): string =>
  `user:${res.locals.internalPost?.author.uid ?? ''}`;

export function createInternalRouter(deps: InternalRoutesDeps): Router {
  const router = Router();

  // Validate first so the limiter can spend the author's budget, not the calling service's address.
  const parseBody: RequestHandler = (req, res, next) => {
    res.locals.internalPost = parseRequest(internalPostMessageBody, req.body ?? {}, 'body');
    next();
  };
  router.post('/messages', parseBody, deps.writeLimit, async (req, res) => {
    const body = res.locals.internalPost as InternalPostMessageBody;
    const message = await postMessage(deps.messages, body, { traceparent: traceparentOf(req) });
    res.status(201).location(`${API_BASE}/messages/${message.id}`).json(toMessageResponse(message));
  });

  router.get('/activity', async (req, res) => {
    const { actorUid, page } = parseRequest(activityQuery, req.query, 'query');
    res.json(toPageResponse(await deps.activity.list(page, { actorUid }), toActivityResponse));
  });

  return router;
}
