import type { ActivitySummary } from '@testbed/service-kit/events';

/** The feed line for an event comes from the kit's `activityFor`, shared with public-api's embedded feed. */
export type ActivityEntry = ActivitySummary;

export interface ActivityStore {
  /** Records an entry once per event id; resolves false when it was already there. */
  record(entry: ActivityEntry): Promise<boolean>;
}
