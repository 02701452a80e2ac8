import type { RateLimitStore, WindowHit } from '../../domain/rate-limit.store.js';

interface Window {
  count: number;
  endsAt: number;
}

// Past this many live keys, expired windows are swept, so a stream of distinct clients cannot grow the map forever.
const SWEEP_THRESHOLD = 10_000;

/** One process's counters: right for `pnpm dev` and a single replica. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly now: () => number = Date.now) {}

  hit(key: string, windowMs: number): Promise<WindowHit> {
    const now = this.now();
    if (this.windows.size > SWEEP_THRESHOLD) this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { count: 0, endsAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    return Promise.resolve({ count: window.count, resetInMs: window.endsAt - now });
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}
