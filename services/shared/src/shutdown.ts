import { setTimeout } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Health } from './health.js';

export interface ShutdownStep {
  readonly name: string;
  readonly run: () => Promise<unknown>;
}

/**
 * On SIGTERM or SIGINT: readiness goes false, the process keeps serving for `delayMs` (Kubernetes
 * removes a terminating pod from its endpoints asynchronously, so new requests still arrive for a
 * moment), then each step runs in order (stop servers, drain consumers, close pools), then the
 * process exits 0. If the delay and the steps overrun `deadlineMs` it exits 1.
 * Returns the same procedure for tests and in-process callers.
 */
export function installShutdown(options: {
  logger: Logger;
  health: Health;
  steps: readonly ShutdownStep[];
  deadlineMs: number;
  /** Milliseconds between readiness going false and the first step; default 0. */
  delayMs?: number;
  exit?: (code: number) => void;
}): () => Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let running: Promise<void> | undefined;

  const shutdown = (): Promise<void> => {
    running ??= (async () => {
      options.health.markShuttingDown();
      const deadline = globalThis.setTimeout(() => {
        options.logger.error({ deadlineMs: options.deadlineMs }, 'shutdown overran its deadline; forcing exit');
        exit(1);
      }, options.deadlineMs);
      deadline.unref();
      if (options.delayMs) await setTimeout(options.delayMs);
      const failures = await runShutdownSteps(options.steps, options.logger);
      clearTimeout(deadline);
      options.logger.info('shutdown complete');
      exit(failures.length > 0 ? 1 : 0);
    })();
    return running;
  };

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      options.logger.info({ signal }, 'shutting down');
      void shutdown();
    });
  }
  return shutdown;
}

/**
 * Runs every step in order, even after one fails; logs each failure and returns the errors (empty
 * when all succeeded). The one loop behind a signal's shutdown and a service's `stop()`.
 */
export async function runShutdownSteps(steps: readonly ShutdownStep[], logger: Logger): Promise<unknown[]> {
  const failures: unknown[] = [];
  for (const step of steps) {
    try {
      await step.run();
    } catch (error) {
      failures.push(error);
      logger.error({ err: error, step: step.name }, 'shutdown step failed');
    }
  }
  return failures;
}

/**
 * The steps as a `stop()` for tests and in-process callers: the first call runs them (see
 * runShutdownSteps) and rejects with an AggregateError if any failed; later calls get the same promise.
 */
export function stopOnce(steps: readonly ShutdownStep[], logger: Logger): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () =>
    (running ??= (async () => {
      const failures = await runShutdownSteps(steps, logger);
      if (failures.length > 0) throw new AggregateError(failures, `${failures.length} shutdown step(s) failed`);
    })());
}
