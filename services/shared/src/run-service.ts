import type { z } from 'zod';
import { loadConfigOrExit, type logLevels } from './config.js';
import type { Health } from './health.js';
import { createLogger, survivesBrokenStdio, type Logger } from './logger.js';
import { installShutdown, type ShutdownStep } from './shutdown.js';
import { shutdownTelemetry } from './telemetry/registry.js';

/** What `runService` needs of a started service to stop it on SIGTERM. */
export interface StartedService {
  readonly health: Health;
  /** Run in order on shutdown, after readiness has gone false. */
  readonly shutdownSteps: readonly ShutdownStep[];
}

interface RunnableConfig {
  readonly LOG_LEVEL: (typeof logLevels)[number];
  readonly SHUTDOWN_DELAY_MS: number;
  readonly SHUTDOWN_TIMEOUT_MS: number;
}

/**
 * What every main.ts does around its own wiring: survive a broken stdout/stderr pipe, load the config (or print every bad key and exit
 * 1), make the process's logger, start, and stop gracefully on SIGTERM/SIGINT. A start that throws
 * (migrations failing, a port taken) is logged once and exits 1, so Kubernetes restarts the pod.
 */
export async function runService<S extends z.ZodType<RunnableConfig>>(options: {
  readonly name: string;
  readonly configSchema: S;
  readonly start: (config: Readonly<z.output<S>>, logger: Logger) => Promise<StartedService>;
}): Promise<void> {
  survivesBrokenStdio();
  const config = loadConfigOrExit(options.configSchema);
  const logger = createLogger({ service: options.name, level: config.LOG_LEVEL });
  let service: StartedService;
  try {
    service = await options.start(config, logger);
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
