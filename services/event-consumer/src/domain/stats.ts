import type { StatsChange } from '@testbed/service-kit/events';

export type { StatsChange } from '@testbed/service-kit/events';

export interface StatsStore {
  /** Applies a change once per (consumer, event id), atomically; resolves false for a repeat. */
  apply(eventId: string, change: StatsChange): Promise<boolean>;
}
