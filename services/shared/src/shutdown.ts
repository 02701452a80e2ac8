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
      const deadline = setTimeout(() => {
        options.logger.error({ deadlineMs: options.deadlineMs }, 'shutdown overran its deadline; forcing exit');
        exit(1);
      }, options.deadlineMs);
      deadline.unref();
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      let failed = false;
      for (const step of options.steps) {
        try {
          await step.run();
        } catch (error) {
          failed = true;
          options.logger.error({ err: error, step: step.name }, 'shutdown step failed');
        }
      }
      clearTimeout(deadline);
      options.logger.info('shutdown complete');
      exit(failed ? 1 : 0);
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

/** Runs the steps in order the first time it is called; later calls get the same promise. For tests and in-process callers. */
export function runStepsOnce(steps: readonly ShutdownStep[]): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () =>
    (running ??= (async () => {
      for (const step of steps) await step.run();
    })());
}
