// The JSON `pnpm bench` writes to bench/results/: one file per run, read back by report.ts.

/** What one timed run against one target (the product or its baseline) measured. */
export interface Measurement {
  /** Requests (or events) that completed successfully. */
  readonly requests: number;
  /** Non-2xx answers, connection errors and timeouts. */
  readonly errors: number;
  /** Seconds the load ran. */
  readonly seconds: number;
  /** Successful requests (or events) per second. */
  readonly throughput: number;
  /** Latency percentiles in milliseconds; null where the scenario has no per-request latency (events). */
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  /** Redis commands the server executed during the run (INFO commandstats delta), all clients. */
  readonly redisCommands: number;
  /** MariaDB `Questions` delta (statements sent by clients) and the write statements among them. */
  readonly sqlStatements: number;
  readonly sqlWrites: number;
  /** CPU seconds (user + system) each measured process used during the run, by process name. */
  readonly cpuSeconds?: Readonly<Record<string, number>>;
  /** Scenario-specific figures (e.g. the write phase of the event burst). */
  readonly extra?: Readonly<Record<string, number>>;
}

export interface RoundResult {
  readonly product: Measurement;
  /** Absent for scenarios measured against a target figure instead of a baseline. */
  readonly baseline?: Measurement;
}

export interface ScenarioResult {
  /** The id `--only` takes, e.g. `public-get`. */
  readonly id: string;
  readonly title: string;
  /** What "ours" and "baseline" were, in words. */
  readonly product: string;
  readonly baseline: string | null;
  /** Concurrent connections (HTTP) or calls in flight (gRPC); burst size for events. */
  readonly concurrency: number;
  readonly rounds: readonly RoundResult[];
}

export interface ProcessMemory {
  /** Peak resident set (VmHWM) over the whole run, MiB. */
  readonly peakMiB: number;
  /** Resident set (VmRSS) at the end of the heaviest load, MiB. */
  readonly afterLoadMiB: number;
}

export interface BenchRun {
  readonly startedAt: string;
  readonly commit: string;
  readonly machine: { readonly nproc: number; readonly cpuModel: string; readonly node: string; readonly loadAverage: readonly number[] };
  readonly settings: {
    readonly rounds: number;
    readonly durationS: number;
    readonly connections: number;
    readonly warmupS: number;
    readonly burst: number;
  };
  readonly scenarios: readonly ScenarioResult[];
  /** By process name (public-api, secure-api, auth-service, event-consumer, gateway). */
  readonly memory: Readonly<Record<string, ProcessMemory>>;
}
