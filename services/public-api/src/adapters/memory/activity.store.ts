import { readModelsFor, type CloudEvent } from '@testbed/service-kit/events';
import { activityPosition, type ActivityEntry, type ActivityFilter, type ActivityStore } from '../../domain/activity.js';
import { compareNewestFirst, isOlderThan, pageFromRows, type Page, type PageRequest } from '../../domain/page.js';

/**
 * The feed kept in process memory and fed from the in-memory event bus: the embedded stand-in
 * for event-consumer's activity table, worded and checked by the same kit rule (`readModelsFor`). Applying an
 * event twice keeps one entry, like the table's unique event id.
 */
export class MemoryActivityStore implements ActivityStore {
  private readonly entries: ActivityEntry[] = [];
  private readonly seenEvents = new Set<string>();
  private nextId = 1;

  apply(event: CloudEvent): Promise<void> {
    if (this.seenEvents.has(event.id)) return Promise.resolve();
    // Throws for an event the read models cannot hold, which the bus dead-letters, as in production.
    const { type, actorUid, summary, occurredAt } = readModelsFor(event).activity;
    this.seenEvents.add(event.id);
    const entry: ActivityEntry = { id: String(this.nextId++), type, actorUid, summary, occurredAt };
    const at = this.entries.findIndex((e) => compareNewestFirst(activityPosition(entry), activityPosition(e)) < 0);
    this.entries.splice(at === -1 ? this.entries.length : at, 0, entry);
    return Promise.resolve();
  }

  list(request: PageRequest, filter: ActivityFilter = {}): Promise<Page<ActivityEntry>> {
    const { after } = request;
    const { actorUid } = filter;
    const candidates = this.entries.filter((e) => (actorUid === undefined || e.actorUid === actorUid) && (!after || isOlderThan(activityPosition(e), after)));
    return Promise.resolve(pageFromRows(candidates.slice(0, request.limit + 1), request.limit, activityPosition));
  }
}
