// The one shape every service starts and stops in (docs/failure-handling.md, "Service lifecycle").
// Each service's src/service.ts exports `startService(config, options?)` returning a RunningService
// built by `runningService`; its main.ts hands that to `runService`, which owns signals and exit codes.
import { Health } from './health.js';
import type { LevelWithSilent } from 'pino';
import { createLogger, type Logger } from './logger.js';
import { Metrics } from './metrics.js';
import { stopOnce, type ShutdownStep } from './shutdown.js';

/**
 * What a service closes on shutdown, by stage. The kit runs the stages in this order, after
 * readiness has gone false (and SHUTDOWN_DELAY_MS has passed, on a signal):
 * 1. `entryPoints`, concurrently: each stops accepting and finishes what is in flight (HTTP and
 *    gRPC servers, event subscriptions).
 * 2. `drain`, in order: work still owed once nothing new comes in (an outbox relay's last
 *    publishes, pending announcements, an in-process event bus).
 * 3. `clients`, in order: connections to close (gRPC channels, NATS, MySQL pools, Redis).
 * A failing step is logged and the rest still run; the process then exits 1 instead of 0.
 */
export interface ShutdownPlan {
  readonly entryPoints: readonly ShutdownStep[];
  readonly drain?: readonly ShutdownStep[];
  readonly clients: readonly ShutdownStep[];
}

/** What every service's `startService` resolves to; services add their own extras (a gRPC port). */
export interface RunningService {
  readonly logger: Logger;
  readonly health: Health;
  readonly metrics: Metrics;
  /** The HTTP port bound: the API, or health and metrics where the API is gRPC or events. */
  readonly port: number;
  /** `http://127.0.0.1:<port>`, for in-process callers and tests. */
  readonly url: string;
  /** The shutdown plan as ordered steps: readiness false, entry points, drain, clients. */
  readonly shutdownSteps: readonly ShutdownStep[];
  /** Runs the shutdown steps once; rejects with an AggregateError if any failed. For tests and in-process callers. */
  stop(): Promise<void>;
}

/** The options every `startService` takes; a service may add test knobs of its own. */
export interface StartOptions {
  /** The process's logger (runService makes it); default: a new one at the config's LOG_LEVEL. */
  readonly logger?: Logger;
}

/** The signature of every service's `startService`. */
export type StartService<Config, Running extends RunningService, Options extends StartOptions = StartOptions> = (
  config: Config,
  options?: Options,
) => Promise<Running>;

/**
 * What every `startService` begins with: the caller's logger or a new one at `logLevel`, the
 * service's own metrics registry, and its health (readiness) switchboard.
 */
export function serviceBasics(name: string, logLevel: LevelWithSilent, options: StartOptions): { logger: Logger; metrics: Metrics; health: Health } {
  const logger = options.logger ?? createLogger({ service: name, level: logLevel });
  return { logger, metrics: new Metrics(name), health: new Health(logger.child({ module: 'health' })) };
}

/** The plan as ordered steps (see ShutdownPlan); the first marks the service not ready. */
export function shutdownSteps(health: Health, plan: ShutdownPlan): ShutdownStep[] {
  const entryPoints = plan.entryPoints;
  return [
    { name: 'readiness', run: async () => health.markShuttingDown() },
    {
      name: entryPoints.map((step) => step.name).join(' + '),
      run: async () => {
        const results = await Promise.allSettled(entryPoints.map((step) => step.run()));
        const failures: unknown[] = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
        if (failures.length === 1) throw failures[0];
        if (failures.length > 1) throw new AggregateError(failures, 'entry points failed to close');
      },
    },
    ...(plan.drain ?? []),
    ...plan.clients,
  ];
}

/** Assembles a RunningService from its parts and shutdown plan, plus the service's `extras`. */
export function runningService<Extras extends object = object>(
  parts: { logger: Logger; health: Health; metrics: Metrics; port: number; shutdown: ShutdownPlan },
  extras?: Extras,
): RunningService & Extras {
  const steps = shutdownSteps(parts.health, parts.shutdown);
  return {
    ...(extras as Extras),
    logger: parts.logger,
    health: parts.health,
    metrics: parts.metrics,
    port: parts.port,
    url: `http://127.0.0.1:${parts.port}`,
    shutdownSteps: steps,
    stop: stopOnce(steps, parts.logger),
  };
}
