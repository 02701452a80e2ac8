import { activityFor, type EventHandler } from '@testbed/service-kit/events';
import type { ActivityStore } from '../domain/activity.js';

export const ACTIVITY_FEED_CONSUMER = 'activity-feed';

export const activityFeedHandler =
  (store: ActivityStore): EventHandler =>
  async (event) => {
    await store.record(activityFor(event));
  };
