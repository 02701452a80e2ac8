import type { Logger } from 'pino';
import { withTimeout } from './wait.js';

export type CheckStatus = 'up' | 'down';
export type ReadinessStatus = 'ready' | 'degraded' | 'not-ready';

export interface DependencyCheck {
  readonly name: string;
  /** Resolves when the dependency answers; rejects or times out otherwise. */
  readonly probe: () => Promise<unknown>;
  /**
   * A critical dependency being down makes the service not ready. A non-critical one (a cache)
   * only marks it degraded: it keeps serving, more slowly.
   */
  readonly critical: boolean;
}

export interface ReadinessReport {
  readonly status: ReadinessStatus;
  readonly checks: Record<string, { status: CheckStatus; latencyMs: number; error?: string }>;
}

const PROBE_TIMEOUT_MS = 1_500;

/** Readiness of one process: real dependency probes plus the shutdown switch. */
export class Health {
  private readonly checks: DependencyCheck[] = [];
  private shuttingDown = false;
  private readonly shutdownListeners: (() => void)[] = [];

  constructor(private readonly logger: Logger) {}

  addCheck(check: DependencyCheck): this {
    this.checks.push(check);
    return this;
  }

  /**
   * Runs `listener` when readiness goes false, for readiness reported elsewhere than /readyz (a
   * gRPC health service that Kubernetes probes natively must turn NOT_SERVING at the same moment).
   */
  onShuttingDown(listener: () => void): this {
    this.shutdownListeners.push(listener);
    return this;
  }

  /** Called first on SIGTERM so load balancers stop sending new work; later calls do nothing. */
  markShuttingDown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    for (const listener of this.shutdownListeners) listener();
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  async readiness(): Promise<ReadinessReport> {
    const results = await Promise.all(
      this.checks.map(async (check) => {
        const started = performance.now();
        try {
          await withTimeout(check.probe(), PROBE_TIMEOUT_MS, `${check.name} probe`);
          return { check, status: 'up' as const, latencyMs: performance.now() - started };
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          this.logger.warn({ dependency: check.name, err: error }, 'readiness probe failed');
          return { check, status: 'down' as const, latencyMs: performance.now() - started, error: message };
        }
      }),
    );
    const criticalDown = results.some((r) => r.status === 'down' && r.check.critical);
    const anyDown = results.some((r) => r.status === 'down');
    const status: ReadinessStatus = this.shuttingDown || criticalDown ? 'not-ready' : anyDown ? 'degraded' : 'ready';
    return {
      status,
      checks: Object.fromEntries(
        results.map((r) => [
          r.check.name,
          {
            status: r.status,
            latencyMs: Math.round(r.latencyMs),
            ...(r.error === undefined ? {} : { error: r.error }),
          },
        ]),
      ),
    };
  }
}
