import { readModelsFor, type CloudEvent } from '@testbed/service-kit/events';
import type { SiteStats, StatsReader } from '../../domain/stats.js';

/**
 * The counters kept in process memory and fed from the in-memory event bus: the embedded
 * stand-in for event-consumer's Redis stats, counted and checked by the same kit rule (`readModelsFor`).
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
    // Throws for an event the read models cannot hold, which the bus dead-letters, as in production.
    const change = readModelsFor(event).stats;
    this.seenEvents.add(event.id);
    if (!change) return Promise.resolve();
    this.messages += change.messages;
    this.signIns += change.signIns;
    if (change.userUid !== null) this.users.add(change.userUid);
    // As event-consumer does: the time of the newest counted event, not the time it was applied.
    const time = new Date(event.time).toISOString();
    if (this.updatedAt === null || this.updatedAt < time) this.updatedAt = time;
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
