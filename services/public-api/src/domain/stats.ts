export interface SiteStats {
  readonly messages: number;
  readonly users: number;
  readonly signIns: number;
  /**
   * The time (CloudEvent `time`, as UTC ISO 8601) of the newest event the stats count; null before
   * the first one. Event time, not apply time: the same in every mode and after a rebuild.
   */
  readonly updatedAt: string | null;
}

/** The counters event-consumer keeps; this service only reads them. */
export interface StatsReader {
  read(): Promise<SiteStats>;
}
