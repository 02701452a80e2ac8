import type { secureApiAuthenticatedOperations } from '@testbed/contracts/http';
import type { OperationHandler } from '@testbed/service-kit';
import { sessionOf } from '@testbed/service-kit/auth';
import { deleteMyProfile, getMyProfile, updateMyProfile } from '../../domain/my-profile.js';
import { toMeResponse } from '../../domain/profile.dto.js';
import type { ProfileStore } from '../../domain/profile.store.js';
import { requireAuthenticated } from '../middleware/authenticate.js';

type Operations = typeof secureApiAuthenticatedOperations;

export interface MeRoutesDeps {
  readonly profiles: ProfileStore;
}

/** /me: the caller's own profile. Reading needs any valid token; changing it needs a fresh sign-in. */
export function meHandlers(deps: MeRoutesDeps): {
  [K in 'getMe' | 'updateMe' | 'deleteMe']: OperationHandler<Operations[K]>;
} {
  return {
    getMe: async (_input, _req, res) => {
      const session = sessionOf(res);
      res.json(toMeResponse(session, await getMyProfile(deps.profiles, session)));
    },
    updateMe: {
      before: [requireAuthenticated],
      handle: async ({ body }, _req, res) => {
        const session = sessionOf(res);
        const profile = await updateMyProfile(deps.profiles, session, body);
        res.json(toMeResponse(session, profile));
      },
    },
    deleteMe: {
      before: [requireAuthenticated],
      handle: async (_input, _req, res) => {
        await deleteMyProfile(deps.profiles, sessionOf(res));
        res.status(204).end();
      },
    },
  };
}
