import type { z } from 'zod';
import { loadConfigOrExit, type logLevels } from './config.js';
import type { RunningService, StartOptions } from './lifecycle.js';
import { createLogger, survivesBrokenStdio } from './logger.js';
import { installShutdown } from './shutdown.js';
import { shutdownTelemetry } from './telemetry/registry.js';

interface RunnableConfig {
  readonly LOG_LEVEL: (typeof logLevels)[number];
  readonly SHUTDOWN_DELAY_MS: number;
  readonly SHUTDOWN_TIMEOUT_MS: number;
}

/**
 * All a main.ts does: survive a broken stdout/stderr pipe, load the config (or print every bad key
 * and exit 1), make the process's logger, call the service's `startService`, and on SIGTERM/SIGINT
 * run its shutdown steps (see installShutdown, ShutdownPlan) and exit 0, or 1 if a step failed.
 * A start that throws (migrations failing, a port taken) is logged once and exits 1, so
 * Kubernetes restarts the pod.
 */
export async function runService<S extends z.ZodType<RunnableConfig>>(options: {
  readonly name: string;
  readonly configSchema: S;
  readonly startService: (config: Readonly<z.output<S>>, options: StartOptions) => Promise<RunningService>;
}): Promise<void> {
  survivesBrokenStdio();
  const config = loadConfigOrExit(options.configSchema);
  const logger = createLogger({ service: options.name, level: config.LOG_LEVEL });
  let service: RunningService;
  try {
    service = await options.startService(config, { logger });
  } catch (error) {
    logger.fatal({ err: error }, `${options.name} failed to start`);
    process.exit(1);
  }
  installShutdown({
    logger,
    health: service.health,
    // Last, so the spans of requests drained during shutdown are exported too.
    steps: [...service.shutdownSteps, { name: 'telemetry', run: shutdownTelemetry }],
    delayMs: config.SHUTDOWN_DELAY_MS,
    deadlineMs: config.SHUTDOWN_TIMEOUT_MS,
  });
}
