import type { EventHandler } from '@testbed/service-kit/events';
import { readModelsFor } from '../domain/read-models.js';
import type { ActivityStore } from '../domain/activity.js';

export const ACTIVITY_FEED_CONSUMER = 'activity-feed';

/** Records the event's feed line. `readModelsFor` refuses an event any read model cannot take, as the stats consumer does. */
export const activityFeedHandler =
  (store: ActivityStore): EventHandler =>
  async (event) => {
    await store.record(readModelsFor(event).activity);
  };
