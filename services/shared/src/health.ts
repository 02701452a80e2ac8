import type { Logger } from 'pino';

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

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Readiness of one process: real dependency probes plus the shutdown switch. */
export class Health {
  private readonly checks: DependencyCheck[] = [];
  private shuttingDown = false;

  constructor(private readonly logger: Logger) {}

  addCheck(check: DependencyCheck): this {
    this.checks.push(check);
    return this;
  }

  /** Called first on SIGTERM so load balancers stop sending new work. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  async readiness(): Promise<ReadinessReport> {
    const results = await Promise.all(
      this.checks.map(async (check) => {
        const started = performance.now();
        try {
          await withTimeout(check.probe(), PROBE_TIMEOUT_MS);
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
    const status: ReadinessStatus =
      this.shuttingDown || criticalDown ? 'not-ready' : anyDown ? 'degraded' : 'ready';
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
