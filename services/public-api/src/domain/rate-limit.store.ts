export interface WindowHit {
  /** Hits in the current window, this one included. */
  readonly count: number;
  /** Milliseconds until the window ends and the count starts again from zero. */
  readonly resetInMs: number;
}

/**
 * Fixed-window hit counters shared by every replica. A window starts at a key's first hit and
 * lasts `windowMs`; counting and expiring happen in one atomic step.
 */
export interface RateLimitStore {
  hit(key: string, windowMs: number): Promise<WindowHit>;
}
