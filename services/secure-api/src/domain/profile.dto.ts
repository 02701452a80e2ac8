import { z } from 'zod';
import { BIO_MAX, DISPLAY_NAME_MAX, type Profile } from './profile.js';
import type { AuthLevel, VerifiedSession } from './session.js';

/**
 * PUT /me replaces the whole editable profile; unknown fields are a mistake worth reporting.
 * Lengths count Unicode code points (the name's after trimming), as the MySQL columns do.
 */
export const updateProfileBody = z.strictObject({
  displayName: z.string().trim().min(1).max(DISPLAY_NAME_MAX),
  bio: z.string().max(BIO_MAX),
});

export type UpdateProfileBody = z.output<typeof updateProfileBody>;

export interface MeResponse {
  uid: string;
  email: string;
  emailVerified: boolean;
  displayName: string;
  bio: string;
  authLevel: AuthLevel;
  createdAt: string;
  updatedAt: string;
}

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
