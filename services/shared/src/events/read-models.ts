import { truncateCodePoints } from '@testbed/text';
import type { CloudEvent } from './cloud-event.js';

/**
 * The pure rules that turn an event into the public read models. event-consumer applies them to
 * MySQL and Redis; public-api's embedded mode applies them in memory. One copy, so `pnpm dev` says
 * exactly what production says.
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
