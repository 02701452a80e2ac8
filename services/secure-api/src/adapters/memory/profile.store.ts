import type { CloudEvent, EventOutbox } from '@testbed/service-kit/events';
import type { Profile, ProfileChanges } from '../../domain/profile.js';
import type { ProfileStore } from '../../domain/profile.store.js';

/** Profiles in process memory, for `pnpm dev` without MySQL and for unit tests; events go to the in-memory bus. */
export class MemoryProfileStore implements ProfileStore {
  private readonly profiles = new Map<string, Profile>();
  private readonly outbox: EventOutbox | undefined;
  private readonly now: () => Date;

  constructor(options: { outbox?: EventOutbox; now?: () => Date } = {}) {
    this.outbox = options.outbox;
    this.now = options.now ?? (() => new Date());
  }

  async find(uid: string): Promise<Profile | undefined> {
    return this.profiles.get(uid);
  }

  async save(uid: string, changes: ProfileChanges, events: readonly CloudEvent[] = []): Promise<Profile> {
    // The bus validates before it accepts anything, so a bad event leaves the profile as it was.
    if (events.length > 0) await this.outbox?.write(events);
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
