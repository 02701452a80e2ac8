import { parseRequest } from '@testbed/service-kit';
import type { Router } from 'express';
import { deleteMyProfile, getMyProfile, updateMyProfile } from '../../domain/my-profile.js';
import { toMeResponse, updateProfileBody } from '../../domain/profile.dto.js';
import type { ProfileStore } from '../../domain/profile.store.js';
import { sessionOf } from '@testbed/service-kit/auth';
import { requireAuthenticated } from '../middleware/authenticate.js';

export interface MeRoutesDeps {
  readonly profiles: ProfileStore;
}

/** /me: the caller's own profile. Reading needs any valid token; changing it needs a fresh sign-in. */
export function mountMeRoutes(router: Router, deps: MeRoutesDeps): void {
  router.get('/me', async (_req, res) => {
    const session = sessionOf(res);
    res.json(toMeResponse(session, await getMyProfile(deps.profiles, session)));
  });

  router.put('/me', requireAuthenticated, async (req, res) => {
    const session = sessionOf(res);
    const changes = parseRequest(updateProfileBody, req.body, 'body');
    const profile = await updateMyProfile(deps.profiles, session, changes);
    res.json(toMeResponse(session, profile));
  });

  router.delete('/me', requireAuthenticated, async (_req, res) => {
    await deleteMyProfile(deps.profiles, sessionOf(res));
    res.status(204).end();
  });
}
