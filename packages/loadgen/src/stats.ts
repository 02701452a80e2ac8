import * as hdr from 'hdr-histogram-js';

/** Latencies are recorded in microseconds; anything above this (10 minutes) is clamped. */
const HIGHEST_US = 600_000_000;

const newHistogram = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_US, numberOfSignificantValueDigits: 3 });

/** One flow's figures over some span of time. Latencies in milliseconds, of successful flows only. */
export interface FlowFigures {
  readonly flow: string;
  readonly ok: number;
  readonly errors: number;
  /** Finished flows (ok + errors) per second over the span. */
  readonly ratePerS: number;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
}

/** A summary of every flow over one span, plus the totals. */
export interface Summary {
  /** Length of the span, in seconds. */
  readonly elapsedS: number;
  readonly flows: readonly FlowFigures[];
  readonly total: { readonly ok: number; readonly errors: number; readonly ratePerS: number; readonly errorRate: number };
  /** The most frequent error messages, with their counts ("flow: message"). */
  readonly topErrors: readonly { readonly message: string; readonly count: number }[];
}

class Span {
  ok = 0;
  errors = 0;
  readonly latency = newHistogram();

  reset(): void {
    this.ok = 0;
    this.errors = 0;
    this.latency.reset();
  }
}

/**
 * Counts finished flows and their latencies (HdrHistogram, 3 significant digits), over the whole
 * run and over the window since the last {@link takeWindow} (the live display's interval).
 */
export class FlowStats {
  private readonly total = new Map<string, Span>();
  private readonly window = new Map<string, Span>();
  private readonly errorMessages = new Map<string, number>();
  private readonly startedAt: number;
  private windowStartedAt: number;

  /** `flows` fixes the order of the rows; `now` is a clock in milliseconds (tests pass their own). */
  constructor(
    flows: readonly string[],
    private readonly now: () => number = () => performance.now(),
  ) {
    for (const flow of flows) {
      this.total.set(flow, new Span());
      this.window.set(flow, new Span());
    }
    this.startedAt = this.windowStartedAt = now();
  }

  /** A flow finished without error after `latencyMs`. */
  recordSuccess(flow: string, latencyMs: number): void {
    const us = Math.min(HIGHEST_US, Math.max(1, Math.round(latencyMs * 1000)));
    for (const span of this.spansOf(flow)) {
      span.ok += 1;
      span.latency.recordValue(us);
    }
  }

  /** A flow failed; `message` is kept (counted, not per occurrence) for the summary. */
  recordError(flow: string, message: string): void {
    for (const span of this.spansOf(flow)) span.errors += 1;
    const key = `${flow}: ${message}`;
    this.errorMessages.set(key, (this.errorMessages.get(key) ?? 0) + 1);
  }

  /** The whole run so far. */
  summary(): Summary {
    return this.summarise(this.total, this.now() - this.startedAt);
  }

  /** The window since the previous call (or the start), then starts a new one. */
  takeWindow(): Summary {
    const now = this.now();
    const summary = this.summarise(this.window, now - this.windowStartedAt);
    for (const span of this.window.values()) span.reset();
    this.windowStartedAt = now;
    return summary;
  }

  private spansOf(flow: string): Span[] {
    let total = this.total.get(flow);
    let window = this.window.get(flow);
    if (!total || !window) {
      total = new Span();
      window = new Span();
      this.total.set(flow, total);
      this.window.set(flow, window);
    }
    return [total, window];
  }

  private summarise(spans: Map<string, Span>, elapsedMs: number): Summary {
    const elapsedS = Math.max(elapsedMs, 1) / 1000;
    // HdrHistogram answers a percentile with the top of its bucket, which can pass the exact maximum.
    const percentile = (span: Span, p: number) => (span.ok === 0 ? null : Math.min(span.latency.getValueAtPercentile(p), span.latency.maxValue) / 1000);
    const flows = [...spans].map(([flow, span]) => ({
      flow,
      ok: span.ok,
      errors: span.errors,
      ratePerS: (span.ok + span.errors) / elapsedS,
      p50Ms: percentile(span, 50),
      p99Ms: percentile(span, 99),
      maxMs: span.ok === 0 ? null : span.latency.maxValue / 1000,
    }));
    const ok = flows.reduce((n, f) => n + f.ok, 0);
    const errors = flows.reduce((n, f) => n + f.errors, 0);
    const topErrors = [...this.errorMessages]
      .map(([message, count]) => ({ message, count }))
      .sort((a, b) => b.count - a.count)
      .slice(0, 5);
    return {
      elapsedS,
      flows,
      total: { ok, errors, ratePerS: (ok + errors) / elapsedS, errorRate: ok + errors === 0 ? 0 : errors / (ok + errors) },
      topErrors,
    };
  }
}
