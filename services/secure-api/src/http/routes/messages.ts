import type { secureApiAuthenticatedOperations } from '@testbed/contracts/http';
import type { OperationHandler } from '@testbed/service-kit';
import { idTokenOf, sessionOf } from '@testbed/service-kit/auth';
import type { MessageBoard } from '../../domain/message-board.js';
import { getMyProfile } from '../../domain/my-profile.js';
import type { ProfileStore } from '../../domain/profile.store.js';

type Operations = typeof secureApiAuthenticatedOperations;

export interface MessageRoutesDeps {
  readonly profiles: ProfileStore;
  readonly messageBoard: MessageBoard;
}

/** Signed-in posting and "my activity"; both are public-api's data, reached over its internal routes. */
export function messageHandlers(deps: MessageRoutesDeps): {
  [K in 'postMyMessage' | 'listMyActivity']: OperationHandler<Operations[K]>;
} {
  return {
    postMyMessage: async ({ body }, _req, res) => {
      const session = sessionOf(res);
      const profile = await getMyProfile(deps.profiles, session);
      const { message, location } = await deps.messageBoard.post(body.text, profile.displayName, { idToken: idTokenOf(res) });
      if (location) res.location(location);
      res.status(201).json(message);
    },
    listMyActivity: async ({ query }, _req, res) => {
      res.json(await deps.messageBoard.activityOf(query, { idToken: idTokenOf(res) }));
    },
  };
}
