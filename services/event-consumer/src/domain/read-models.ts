import { codePointLength, truncateCodePoints } from '@testbed/text';
import { z } from 'zod';
import { PermanentEventError, type CloudEvent } from '@testbed/service-kit/events';

/**
 * The pure rules that turn an event into the public read models. event-consumer owns the read
 * models and applies them to MySQL and Redis, or to its in-memory stores when it runs without
 * servers (`pnpm dev`): one copy, so `pnpm dev` says exactly what production says.
 */

/** One activity-feed line for an event, before the store gives it its own sequence id. */
export interface ActivitySummary {
  readonly eventId: string;
  readonly type: CloudEvent['type'];
  readonly actorUid: string | null;
  readonly summary: string;
  readonly occurredAt: Date;
}

/** Code points of a message quoted in its activity line; a longer one ends in "…". */
const QUOTE_MAX = 120;

// Cut by code point, never inside a surrogate pair: half of one is stored as U+FFFD.
const quote = (text: string, max: number) => `"${truncateCodePoints(text, max)}"`;

/** What the public feed says about an event. Sign-ins name nobody: the feed is public. */
export function activityFor(event: CloudEvent): ActivitySummary {
  const base = { eventId: event.id, type: event.type, occurredAt: new Date(event.time) };
  switch (event.type) {
    case 'testbed.message.posted': {
      const data = event.data as CloudEvent<'testbed.message.posted'>['data'];
      return {
        ...base,
        actorUid: data.author.uid,
        summary: `${data.author.displayName} posted ${quote(data.text, QUOTE_MAX)}`,
      };
    }
    case 'testbed.profile.updated': {
      const data = event.data as CloudEvent<'testbed.profile.updated'>['data'];
      return { ...base, actorUid: data.uid, summary: `${data.displayName ?? 'A user'} updated their profile` };
    }
    case 'testbed.user.signed_in': {
      const data = event.data as CloudEvent<'testbed.user.signed_in'>['data'];
      return { ...base, actorUid: data.uid, summary: 'A user signed in' };
    }
  }
}

/** What one event adds to the public stats. */
export interface StatsChange {
  readonly messages: number;
  readonly signIns: number;
  /** A uid to count among distinct users, if the event has one. */
  readonly userUid: string | null;
}

/** The change an event makes, or null for events the stats do not count. */
export function statsChangeFor(event: CloudEvent): StatsChange | null {
  switch (event.type) {
    case 'testbed.message.posted':
      return { messages: 1, signIns: 0, userUid: null };
    case 'testbed.user.signed_in': {
      const data = event.data as CloudEvent<'testbed.user.signed_in'>['data'];
      return { messages: 0, signIns: 1, userUid: data.uid };
    }
    case 'testbed.profile.updated':
      return null;
  }
}

/**
 * The limits of one activity row, in characters, as the `activity` table's columns are sized
 * (event-consumer migrations; `services/event-consumer/test/columns.int.test.ts` checks they
 * agree). `occurredAt` must fit MySQL's DATETIME range, 1000-01-01 to 9999-12-31.
 */
export const activityLimits = { eventId: 64, type: 64, actorUid: 128, summary: 400 } as const;

const DATETIME_MIN = Date.UTC(1000, 0, 1);
const DATETIME_MAX = Date.UTC(10_000, 0, 1) - 1;

const chars = (max: number) => z.string().refine((value) => codePointLength(value) <= max, { message: `longer than ${max} characters` });

const activityRowSchema = z.object({
  eventId: chars(activityLimits.eventId),
  type: chars(activityLimits.type),
  actorUid: chars(activityLimits.actorUid).nullable(),
  summary: chars(activityLimits.summary),
  occurredAt: z.date().refine((at) => at.getTime() >= DATETIME_MIN && at.getTime() <= DATETIME_MAX, {
    message: 'outside the years 1000 to 9999',
  }),
});

/** What one event does to every read model. */
export interface ReadModelChanges {
  readonly activity: ActivitySummary;
  readonly stats: StatsChange | null;
}

/**
 * The changes an event makes to the activity feed and to the stats, checked against the feed's
 * limits first. Every consumer of the read models calls this before applying anything, so an
 * event one read model cannot take is refused by all of them (and dead-lettered at once), never
 * counted by one and missing from the other.
 *
 * @throws PermanentEventError when the event cannot be stored in the activity feed.
 */
export function readModelsFor(event: CloudEvent): ReadModelChanges {
  const activity = activityFor(event);
  const checked = activityRowSchema.safeParse(activity);
  if (!checked.success) {
    const problems = checked.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new PermanentEventError(`event ${event.id} does not fit the read models: ${problems.join('; ')}`);
  }
  return { activity, stats: statsChangeFor(event) };
}
