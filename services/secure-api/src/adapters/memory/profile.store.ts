import type { Profile, ProfileChanges } from '../../domain/profile.js';
import type { ProfileStore } from '../../domain/profile.store.js';

/** Profiles in process memory, for `pnpm dev` without MySQL and for unit tests. */
export class MemoryProfileStore implements ProfileStore {
  private readonly profiles = new Map<string, Profile>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async findOrCreate(uid: string, initial: ProfileChanges): Promise<Profile> {
    const existing = this.profiles.get(uid);
    if (existing) return existing;
    const at = this.now();
    const created: Profile = { uid, ...initial, createdAt: at, updatedAt: at };
    this.profiles.set(uid, created);
    return created;
  }

  async save(uid: string, changes: ProfileChanges): Promise<Profile> {
    const at = this.now();
    const existing = this.profiles.get(uid);
    const saved: Profile = {
      uid,
      displayName: changes.displayName,
      bio: changes.bio,
      createdAt: existing?.createdAt ?? at,
      updatedAt: at,
    };
    this.profiles.set(uid, saved);
    return saved;
  }

  async delete(uid: string): Promise<boolean> {
    return this.profiles.delete(uid);
  }

  async ping(): Promise<void> {}
}
