import type { activitySchema } from '@testbed/contracts/http';
import type { Page, PagePosition, PageRequest } from '@testbed/service-kit';
import type { z } from 'zod';
import type { ActivitySummary } from './read-models.js';

/** What the activity-feed consumer records for an event: its feed line, from `activityFor`. */
export type ActivityEntry = ActivitySummary;

/** The write side of the activity feed. */
export interface ActivityStore {
  /** Records an entry once per event id; recording it again changes nothing. */
  record(entry: ActivityEntry): Promise<void>;
}

/** One stored line of the feed, as the read API lists it. */
export interface ActivityLine {
  /** Decimal string: the feed's own sequence (the table's BIGINT id), not the event id. */
  readonly id: string;
  readonly type: string;
  readonly actorUid: string | null;
  readonly summary: string;
  readonly occurredAt: Date;
}

/** Narrows the feed; an empty filter is the whole public feed. */
export interface ActivityFilter {
  /** Only what this user did (public-api asks for it to serve secure-api's "my activity"). */
  readonly actorUid?: string | undefined;
}

/** The read side of the activity feed. */
export interface ActivityReader {
  /** Newest first (occurredAt, then id), strictly after `request.after`; at most `request.limit` lines. */
  list(request: PageRequest, filter?: ActivityFilter): Promise<Page<ActivityLine>>;
}

/** The contract's JSON of one line (`activitySchema`). */
export const toActivityResponse = (line: ActivityLine): z.input<typeof activitySchema> => ({
  id: line.id,
  type: line.type,
  actorUid: line.actorUid,
  summary: line.summary,
  occurredAt: line.occurredAt.toISOString(),
});

/** Where a line sits in the newest-first order; the cursor encodes it. */
export const activityPosition = (line: ActivityLine): PagePosition => ({ createdAt: line.occurredAt, id: line.id });
