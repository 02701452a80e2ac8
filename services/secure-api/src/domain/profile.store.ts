import type { Profile, ProfileChanges } from './profile.js';

export interface ProfileStore {
  /**
   * The profile for `uid`, created with `initial` if there is none. Safe when two first requests
   * for the same user race: both get the one row.
   */
  findOrCreate(uid: string, initial: ProfileChanges): Promise<Profile>;
  /** Replaces the editable fields, creating the profile if it does not exist yet. */
  save(uid: string, changes: ProfileChanges): Promise<Profile>;
  /** Returns whether a profile was there to delete. */
  delete(uid: string): Promise<boolean>;
  /** Whether the store can answer right now; used by /readyz. */
  ping(): Promise<void>;
}
