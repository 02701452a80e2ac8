import type { Page, PageRequest } from './page.js';

/** One line of the public activity feed, written by event-consumer from an event. */
export interface ActivityEntry {
  /** Decimal string: the feed's own sequence, not the event id. */
  readonly id: string;
  readonly type: string;
  readonly actorUid: string | null;
  readonly summary: string;
  readonly occurredAt: Date;
}

/** Narrows the feed; an empty filter is the whole public feed. */
export interface ActivityFilter {
  /** Only what this user did (secure-api's "my activity", through the internal route). */
  readonly actorUid?: string | undefined;
}

export interface ActivityStore {
  /** Newest first. */
  list(request: PageRequest, filter?: ActivityFilter): Promise<Page<ActivityEntry>>;
}

export interface ActivityResponse {
  id: string;
  type: string;
  actorUid: string | null;
  summary: string;
  occurredAt: string;
}

export const toActivityResponse = (entry: ActivityEntry): ActivityResponse => ({
  id: entry.id,
  type: entry.type,
  actorUid: entry.actorUid,
  summary: entry.summary,
  occurredAt: entry.occurredAt.toISOString(),
});

export const activityPosition = (entry: ActivityEntry) => ({ createdAt: entry.occurredAt, id: entry.id });
