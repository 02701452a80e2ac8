import { parseRequest } from '@testbed/service-kit';
import { Router } from 'express';
import type { AuthVerifier } from '../../domain/auth-verifier.js';
import { deleteMyProfile, getMyProfile, updateMyProfile } from '../../domain/my-profile.js';
import { toMeResponse, updateProfileBody } from '../../domain/profile.dto.js';
import type { ProfileStore } from '../../domain/profile.store.js';
import { authenticate, requireAuthenticated, sessionOf } from '../middleware/authenticate.js';

export interface MeRoutesDeps {
  readonly verifier: AuthVerifier;
  readonly profiles: ProfileStore;
  readonly freshAuthMaxAgeS: number;
}

/** /me: the caller's own profile. Reading needs any valid token; changing it needs a fresh sign-in. */
export function meRoutes(deps: MeRoutesDeps): Router {
  const router = Router();
  const fresh = requireAuthenticated(deps.freshAuthMaxAgeS);

  router.use(authenticate(deps.verifier));
  router.use((_req, res, next) => {
    // Personal data: no shared cache may keep it.
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.get('/me', async (_req, res) => {
    const session = sessionOf(res);
    res.json(toMeResponse(session, await getMyProfile(deps.profiles, session)));
  });

  router.put('/me', fresh, async (req, res) => {
    const session = sessionOf(res);
    const changes = parseRequest(updateProfileBody, req.body, 'body');
    res.json(toMeResponse(session, await updateMyProfile(deps.profiles, session, changes)));
  });

  router.delete('/me', fresh, async (_req, res) => {
    await deleteMyProfile(deps.profiles, sessionOf(res));
    res.status(204).end();
  });

  return router;
}
