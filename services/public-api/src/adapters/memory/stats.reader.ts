import { statsChangeFor, type CloudEvent } from '@testbed/service-kit/events';
import type { SiteStats, StatsReader } from '../../domain/stats.js';

/**
 * The counters kept in process memory and fed from the in-memory event bus: the embedded
 * stand-in for event-consumer's Redis stats, counted by the same kit rule (`statsChangeFor`).
 * Applying an event twice counts it once.
 */
export class MemoryStatsReader implements StatsReader {
  private readonly seenEvents = new Set<string>();
  private readonly users = new Set<string>();
  private messages = 0;
  private signIns = 0;
  private updatedAt: string | null = null;

  apply(event: CloudEvent): Promise<void> {
    if (this.seenEvents.has(event.id)) return Promise.resolve();
    this.seenEvents.add(event.id);
    const change = statsChangeFor(event);
    if (change) {
      this.messages += change.messages;
      this.signIns += change.signIns;
      if (change.userUid !== null) this.users.add(change.userUid);
    }
    this.updatedAt = event.time;
    return Promise.resolve();
  }

  read(): Promise<SiteStats> {
    return Promise.resolve({
      messages: this.messages,
      users: this.users.size,
      signIns: this.signIns,
      updatedAt: this.updatedAt,
    });
  }
}
