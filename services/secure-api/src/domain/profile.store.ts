import type { CloudEvent } from '@testbed/service-kit/events';
import type { Profile, ProfileChanges } from './profile.js';

export interface ProfileStore {
  /** The stored profile for `uid`, or undefined when none was saved yet. Never writes. */
  find(uid: string): Promise<Profile | undefined>;
  /**
   * Replaces the editable fields, creating the profile if it does not exist yet, and records
   * `events` for delivery together with the change: both happen or neither does (one MySQL
   * transaction with the outbox).
   */
  save(uid: string, changes: ProfileChanges, events?: readonly CloudEvent[]): Promise<Profile>;
  /** Returns whether a profile was there to delete. */
  delete(uid: string): Promise<boolean>;
  /** Whether the store can answer right now; used by /readyz. */
  ping(): Promise<void>;
}
