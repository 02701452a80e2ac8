// The three waits every service, script and test needs: a promise with a deadline, a port nobody
// holds, and "does this URL answer". One helper each, on small libraries (p-timeout, get-port,
// p-wait-for), so no file keeps its own setTimeout race, listen(0) dance or polling loop.
import getPort from 'get-port';
import pTimeout, { TimeoutError } from 'p-timeout';
import pWaitFor from 'p-wait-for';

export { TimeoutError };

/**
 * Settles like `promise`, or rejects after `ms` milliseconds: with `what` itself when it is an
 * Error (a caller's own timeout class), else with a TimeoutError saying "`what` took longer than
 * `ms` ms". The promise itself is not cancelled; pass an AbortSignal to the work where it takes one.
 */
export function withTimeout<T>(promise: PromiseLike<T>, ms: number, what: string | Error): Promise<T> {
  return pTimeout(Promise.resolve(promise), {
    milliseconds: ms,
    message: typeof what === 'string' ? `${what} took longer than ${ms} ms` : what,
  });
}

/**
 * A TCP port that was free a moment ago on every local address. Ports handed out are kept back
 * from later calls in this process for a while (get-port's lock), so successive calls differ;
 * another process may still take it first, which is good enough for tests and `pnpm dev` on loopback.
 */
export function freePort(): Promise<number> {
  return getPort();
}

/** `count` different free ports (see freePort). */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) ports.push(await getPort({ exclude: ports }));
  return ports;
}

/** Whether GET `url` answers 2xx within `timeoutMs` (default 1 s); never throws. */
export async function urlAnswers(url: string, timeoutMs = 1_000): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

export interface WaitOptions {
  /** Give up after this many milliseconds; default 15 000. */
  readonly timeoutMs?: number;
  /** Milliseconds between checks; default 100. */
  readonly intervalMs?: number;
  /** What is awaited, for the timeout message. */
  readonly what?: string;
  /**
   * Checked before each attempt: a reason to stop waiting now (the process that should answer
   * has exited), thrown as the error. Undefined keeps waiting.
   */
  readonly giveUp?: () => string | undefined | Promise<string | undefined>;
}

/**
 * Resolves once `condition` resolves true; a condition that throws counts as false. Rejects with
 * a TimeoutError ("timed out waiting for `what`") after `timeoutMs`, or with giveUp's reason.
 */
export async function waitFor(condition: () => Promise<boolean>, options: WaitOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  let timedOut = false;
  // The deadline is withTimeout's, not p-wait-for's own `timeout`: p-wait-for 6.0.0 adds an abort
  // listener to its timeout signal on every poll and never removes it, which floods a long wait
  // with MaxListenersExceededWarning. After the deadline the loop ends at its next poll.
  const polling = pWaitFor(
    async () => {
      if (timedOut) throw new TimeoutError('stopped polling after the deadline');
      const reason = await options.giveUp?.();
      if (reason !== undefined) throw new Error(reason);
      return condition().catch(() => false);
    },
    { interval: options.intervalMs ?? 100 },
  );
  try {
    await withTimeout(polling, timeoutMs, new TimeoutError(`timed out waiting for ${options.what ?? 'condition'} (${timeoutMs} ms)`));
  } finally {
    timedOut = true;
    polling.catch(() => undefined);
  }
}

/** Resolves once GET `url` answers 2xx (see urlAnswers, waitFor); `what` defaults to the URL. */
export function waitForUrl(url: string, options: WaitOptions = {}): Promise<void> {
  return waitFor(() => urlAnswers(url), { ...options, what: options.what ?? url });
}
