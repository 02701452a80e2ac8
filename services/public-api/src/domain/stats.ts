export interface SiteStats {
  readonly messages: number;
  readonly users: number;
  readonly signIns: number;
  /** When the last event was counted; null before the first one. */
  readonly updatedAt: string | null;
}

/** The counters event-consumer keeps; this service only reads them. */
export interface StatsReader {
  read(): Promise<SiteStats>;
}
