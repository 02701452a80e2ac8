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
