const MAX_TIMER_MS = 2 ** 31 - 1;

/** Thrown by StoreBudget.run when the store is skipped or did not answer within what was left. */
export class StoreBudgetExceeded extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreBudgetExceeded';
  }
}

/**
 * The waiting time one verification may spend on its optional stores (the verification cache and
 * the session state, Redis in production), shared by all its store calls so their timeouts cannot
 * add up past the caller's deadline. Once a call fails or runs out of time the store is treated as
 * down for the rest of this verification: the remaining calls are skipped at once instead of each
 * waiting out its own timeout. A call that times out keeps running in the client (ioredis bounds it
 * with its own command timeout); only our wait for it ends.
 */
export class StoreBudget {
  private leftMs: number;
  private failed = false;

  /**
   * @param totalMs milliseconds of waiting allowed in all
   * @param nowMs the clock, in milliseconds (tests pass their own)
   */
  constructor(
    totalMs: number,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.leftMs = Math.max(0, totalMs);
  }

  /** Whether a store call may still be tried. */
  get usable(): boolean {
    return !this.failed && this.leftMs > 0;
  }

  /**
   * Runs `call`, waiting at most what is left of the budget. Calls meant to share one round trip
   * go in one `call` (e.g. `Promise.all` over commands issued in the same tick, which the Redis
   * client pipelines on its one connection).
   *
   * @throws StoreBudgetExceeded when skipped or out of time; whatever `call` throws otherwise
   */
  async run<T>(call: () => Promise<T>): Promise<T> {
    if (!this.usable) throw new StoreBudgetExceeded('store skipped: it already failed or the budget is spent');
    const started = this.nowMs();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      // setTimeout treats anything above 2^31-1 ms (Infinity included) as 1 ms.
      if (this.leftMs > MAX_TIMER_MS) return;
      timer = setTimeout(() => reject(new StoreBudgetExceeded(`store did not answer within ${this.leftMs} ms`)), this.leftMs);
    });
    try {
      return await Promise.race([call(), timeout]);
    } catch (error) {
      this.failed = true;
      throw error;
    } finally {
      clearTimeout(timer);
      this.leftMs -= this.nowMs() - started;
    }
  }
}
