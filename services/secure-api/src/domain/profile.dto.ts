import type { meSchema } from '@testbed/contracts/http';
import type { z } from 'zod';
import type { Profile } from './profile.js';
import type { VerifiedSession } from './session.js';

/** GET/PUT /me's answer; its schema is the contract's (`@testbed/contracts/http`). */
export type MeResponse = z.input<typeof meSchema>;

export function toMeResponse(session: VerifiedSession, profile: Profile): MeResponse {
  return {
    uid: session.uid,
    email: session.email,
    emailVerified: session.emailVerified,
    displayName: profile.displayName,
    bio: profile.bio,
    authLevel: session.level,
    createdAt: profile.createdAt.toISOString(),
    updatedAt: profile.updatedAt.toISOString(),
  };
}
