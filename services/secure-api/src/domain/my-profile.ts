import { sliceCodePoints } from '@testbed/text';
import { DISPLAY_NAME_MAX, type Profile, type ProfileChanges } from './profile.js';
import { profileUpdated } from './profile-events.js';
import type { ProfileStore } from './profile.store.js';
import type { VerifiedSession } from './session.js';

const FALLBACK_DISPLAY_NAME = 'user';

/** The name a new profile starts with: the token's name, else the email's local part. */
export function initialDisplayName(session: Pick<VerifiedSession, 'displayName' | 'email'>): string {
  const fromToken = session.displayName.trim();
  const fromEmail = session.email.split('@')[0]?.trim() ?? '';
  const name = fromToken || fromEmail || FALLBACK_DISPLAY_NAME;
  // Slice by code points so a name is never cut inside a surrogate pair.
  return sliceCodePoints(name, DISPLAY_NAME_MAX).trim() || FALLBACK_DISPLAY_NAME;
}

/**
 * The caller's profile: the stored one, or, until the first PUT, the defaults from the token
 * (initialDisplayName, an empty bio) with `createdAt` = `updatedAt` = `now`. A read never writes:
 * nothing is stored for a user until they save a profile.
 */
export async function getMyProfile(store: ProfileStore, session: VerifiedSession, now: Date = new Date()): Promise<Profile> {
  return (
    (await store.find(session.uid)) ?? {
      uid: session.uid,
      displayName: initialDisplayName(session),
      bio: '',
      createdAt: now,
      updatedAt: now,
    }
  );
}

/** Saves the new values and announces them (`testbed.profile.updated`) in the same transaction. */
export const updateMyProfile = (store: ProfileStore, session: VerifiedSession, changes: ProfileChanges): Promise<Profile> =>
  store.save(session.uid, changes, [profileUpdated(session.uid, changes)]);

export const deleteMyProfile = async (store: ProfileStore, session: VerifiedSession): Promise<void> => {
  await store.delete(session.uid);
};
