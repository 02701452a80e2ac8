import type { SiteStats, StatsChange, StatsReader, StatsStore } from '../../domain/stats.js';

/**
 * The stats in process memory: what the Redis keyspace is when event-consumer runs without
 * servers (`pnpm dev`). Fed by the same stats consumer; applying an event twice counts it once.
 */
export class MemoryStatsStore implements StatsStore, StatsReader {
  private readonly appliedEvents = new Set<string>();
  private readonly users = new Set<string>();
  private messages = 0;
  private signIns = 0;
  private updatedAt: string | null = null;

  apply(eventId: string, change: StatsChange, eventTime: string): Promise<boolean> {
    if (this.appliedEvents.has(eventId)) return Promise.resolve(false);
    this.appliedEvents.add(eventId);
    this.messages += change.messages;
    this.signIns += change.signIns;
    if (change.userUid !== null) this.users.add(change.userUid);
    // As in Redis: the time of the newest counted event, not the time it was applied.
    const time = new Date(eventTime).toISOString();
    if (this.updatedAt === null || this.updatedAt < time) this.updatedAt = time;
    return Promise.resolve(true);
  }

  read(): Promise<SiteStats> {
    return Promise.resolve({ messages: this.messages, users: this.users.size, signIns: this.signIns, updatedAt: this.updatedAt });
  }
}
