import { compareNewestFirst, isOlderThan, pageFromRows, type Page, type PageRequest } from '@testbed/service-kit';
import {
  activityPosition,
  type ActivityEntry,
  type ActivityFilter,
  type ActivityLine,
  type ActivityReader,
  type ActivityStore,
} from '../../domain/activity.js';

/**
 * The activity feed in process memory: what the MySQL table is when event-consumer runs without
 * servers (`pnpm dev`). Fed by the same activity-feed consumer, so worded and checked by the same
 * rule (`readModelsFor`); recording an event twice keeps one line, like the table's unique event id.
 */
export class MemoryActivityStore implements ActivityStore, ActivityReader {
  // Kept newest first, so a page is a scan from the front.
  private readonly lines: ActivityLine[] = [];
  private readonly seenEvents = new Set<string>();
  private nextId = 1;

  record(entry: ActivityEntry): Promise<void> {
    if (this.seenEvents.has(entry.eventId)) return Promise.resolve();
    this.seenEvents.add(entry.eventId);
    const { type, actorUid, summary, occurredAt } = entry;
    const line: ActivityLine = { id: String(this.nextId++), type, actorUid, summary, occurredAt };
    const at = this.lines.findIndex((other) => compareNewestFirst(activityPosition(line), activityPosition(other)) < 0);
    this.lines.splice(at === -1 ? this.lines.length : at, 0, line);
    return Promise.resolve();
  }

  list(request: PageRequest, filter: ActivityFilter = {}): Promise<Page<ActivityLine>> {
    const { after } = request;
    const { actorUid } = filter;
    const candidates = this.lines.filter((l) => (actorUid === undefined || l.actorUid === actorUid) && (!after || isOlderThan(activityPosition(l), after)));
    return Promise.resolve(pageFromRows(candidates.slice(0, request.limit + 1), request.limit, activityPosition));
  }
}
