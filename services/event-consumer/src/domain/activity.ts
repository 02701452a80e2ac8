import type { ActivitySummary } from '@testbed/service-kit/events';

/** The feed line for an event comes from the kit's `activityFor`, shared with public-api's embedded feed. */
export type ActivityEntry = ActivitySummary;

export interface ActivityStore {
  /** Records an entry once per event id; recording it again changes nothing. */
  record(entry: ActivityEntry): Promise<void>;
}
