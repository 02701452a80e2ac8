import type { statsSchema } from '@testbed/contracts/http';
import type { z } from 'zod';
import type { StatsChange } from './read-models.js';

export type { StatsChange } from './read-models.js';

/** The write side of the stats. */
export interface StatsStore {
  /**
   * Applies a change once per (consumer, event id), atomically; resolves false for a repeat.
   * `eventTime` (the CloudEvent `time`) moves `updatedAt` forward if it is newer: stats say when
   * the newest event they count happened, not when it was applied, so a rebuild gives the same.
   */
  apply(eventId: string, change: StatsChange, eventTime: string): Promise<boolean>;
}

/**
 * The site counters as the read API serves them (the contract's `statsSchema`): messages posted,
 * distinct users that signed in, sign-ins, and the time (CloudEvent `time`, UTC ISO 8601) of the
 * newest counted event, null before the first.
 */
export type SiteStats = z.output<typeof statsSchema>;

/** The read side of the stats. */
export interface StatsReader {
  /** Every counter at once; a counter nothing touched yet is zero. */
  read(): Promise<SiteStats>;
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
