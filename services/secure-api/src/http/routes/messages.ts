import { parseRequest } from '@testbed/service-kit';
import type { Router } from 'express';
import { z } from 'zod';
import { MESSAGE_TEXT_MAX, type MessageBoard } from '../../domain/message-board.js';
import { getMyProfile } from '../../domain/my-profile.js';
import type { ProfileStore } from '../../domain/profile.store.js';
import { idTokenOf, sessionOf } from '@testbed/service-kit/auth';
import { traceparentOf } from '../traceparent.js';

/** Same rule as the public board: code points, counted after trimming. The author comes from the profile, never the body. */
export const postMessageBody = z.strictObject({ text: z.string().trim().min(1).max(MESSAGE_TEXT_MAX) });

/** Paging is public-api's: values are passed on and it answers 400 for bad ones; unknown keys stop here. */
const activityQuery = z.strictObject({ limit: z.string().optional(), cursor: z.string().optional() });

export interface MessageRoutesDeps {
  readonly profiles: ProfileStore;
  readonly messageBoard: MessageBoard;
}

/** Signed-in posting and "my activity"; both are public-api's data, reached over its internal routes. */
export function mountMessageRoutes(router: Router, deps: MessageRoutesDeps): void {
  router.post('/messages', async (req, res) => {
    const session = sessionOf(res);
    const { text } = parseRequest(postMessageBody, req.body ?? {}, 'body');
    const profile = await getMyProfile(deps.profiles, session);
    const { message, location } = await deps.messageBoard.post(text, profile.displayName, {
      idToken: idTokenOf(res),
      traceparent: traceparentOf(req),
    });
    if (location) res.location(location);
    res.status(201).json(message);
  });

  router.get('/me/activity', async (req, res) => {
    const page = parseRequest(activityQuery, req.query, 'query');
    res.json(await deps.messageBoard.activityOf(page, { idToken: idTokenOf(res), traceparent: traceparentOf(req) }));
  });
}
