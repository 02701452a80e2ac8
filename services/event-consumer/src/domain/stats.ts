import type { StatsChange } from '@testbed/service-kit/events';

export type { StatsChange } from '@testbed/service-kit/events';

export interface StatsStore {
  /**
   * Applies a change once per (consumer, event id), atomically; resolves false for a repeat.
   * `eventTime` (the CloudEvent `time`) moves `updatedAt` forward if it is newer: stats say when
   * the newest event they count happened, not when it was applied, so a rebuild gives the same.
   */
  apply(eventId: string, change: StatsChange, eventTime: string): Promise<boolean>;
}

/** Every stat at once, as a rebuild sets them. */
export interface StatsSnapshot {
  readonly messages: number;
  readonly signIns: number;
  /** Distinct uids that signed in. */
  readonly users: readonly string[];
  /** ISO time of the newest counted event; null when none. */
  readonly updatedAt: string | null;
  /** Counted events that may still be redelivered or replayed; they get "applied" markers. */
  readonly recentEventIds: readonly string[];
}
