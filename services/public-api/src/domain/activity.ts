import type { activityPageSchema } from '@testbed/contracts/http';
import type { z } from 'zod';

/** One page of the activity feed, exactly as the contracts' `ActivityPage` (`{ items, nextCursor }`). */
export type ActivityPage = z.output<typeof activityPageSchema>;

/** Which page: the contract's validated `?limit=&cursor=`; the cursor is opaque here, its owner decodes it. */
export interface ActivityPageParams {
  readonly limit: number;
  readonly cursor?: string | undefined;
}

/** Narrows the feed; an empty filter is the whole public feed. */
export interface ActivityFilter {
  /** Only what this user did (secure-api's "my activity", through the internal route). */
  readonly actorUid?: string | undefined;
}

/**
 * The activity feed, newest first. event-consumer owns it (it builds it from the events and
 * serves it over its read API); public-api only passes pages on.
 *
 * @throws AppError `invalid-argument` for a cursor the owner did not issue, `unavailable` (503 with
 *   Retry-After) when the owner is down, slow or failing.
 */
export interface ActivityFeed {
  list(page: ActivityPageParams, filter?: ActivityFilter): Promise<ActivityPage>;
}
