// `pnpm dev`'s console view of the traces: the spans the OTLP receiver gets are grouped by trace id,
// and each finished request becomes one line in the combined log, e.g.
//   trace 4bf92f35… POST /api/secure/messages 201 · 34 ms · 9 spans · gateway → secure-api → auth-service → public-api
// For the span tree itself, send the spans to Jaeger (docs/observability.md).
import { SPAN_KIND, type ReceivedSpan } from './otlp-receiver.js';

/** What one line says about one trace. */
export interface TraceSummary {
  readonly traceId: string;
  /** e.g. "POST /api/secure/messages": the root span's method and path, else its name. */
  readonly label: string;
  /** The root's HTTP status code or gRPC status, when it has one. */
  readonly status?: string;
  /** The root span's duration, in milliseconds. */
  readonly durationMs: number;
  readonly spanCount: number;
  /** Services in the order they joined the trace (earliest span first). */
  readonly services: readonly string[];
  /** Spans whose status is ERROR. */
  readonly errors: number;
}

const nanos = (value: string) => BigInt(value);

/**
 * The span a trace hangs from: the one without a parent, else (its parent was never received, e.g.
 * it came from a browser or a process that does not export here) the earliest span whose parent is
 * not among `spans`. Undefined for no spans.
 */
export function rootOf(spans: readonly ReceivedSpan[]): ReceivedSpan | undefined {
  const ids = new Set(spans.map((span) => span.spanId));
  const candidates = spans.filter((span) => !span.parentSpanId || !ids.has(span.parentSpanId));
  return candidates.find((span) => !span.parentSpanId) ?? candidates.sort((a, b) => (nanos(a.startTimeUnixNano) < nanos(b.startTimeUnixNano) ? -1 : 1))[0];
}

/**
 * Whether a trace is a request or a delivered event (its root is a SERVER or CONSUMER span) rather
 * than background work: a migration's queries at start-up, a relay's or a poller's own calls, whose
 * roots are CLIENT or INTERNAL spans. Only requests and events are printed.
 */
export function isRequestTrace(spans: readonly ReceivedSpan[]): boolean {
  const root = rootOf(spans);
  return root?.kind === SPAN_KIND.SERVER || root?.kind === SPAN_KIND.CONSUMER;
}

/** One trace's spans summed up; undefined for no spans. */
export function summarizeTrace(spans: readonly ReceivedSpan[]): TraceSummary | undefined {
  const root = rootOf(spans);
  if (!root) return undefined;
  const attribute = (key: string) => root.attributes[key];
  const method = attribute('http.request.method') ?? attribute('http.method');
  const path = attribute('url.path') ?? attribute('http.target');
  // Status codes are OTLP intValues, which the JSON encoding may write as numbers or strings.
  const code = (value: unknown) => (typeof value === 'number' || typeof value === 'string' ? String(value) : undefined);
  const httpStatus = code(attribute('http.response.status_code') ?? attribute('http.status_code'));
  const grpcStatus = code(attribute('rpc.grpc.status_code'));
  const firstStart = new Map<string, bigint>();
  for (const span of spans) {
    const start = nanos(span.startTimeUnixNano);
    const known = firstStart.get(span.service);
    if (known === undefined || start < known) firstStart.set(span.service, start);
  }
  return {
    traceId: root.traceId,
    label: typeof method === 'string' && typeof path === 'string' ? `${method} ${path.split('?')[0]}` : root.name,
    ...(httpStatus !== undefined ? { status: httpStatus } : grpcStatus !== undefined ? { status: `grpc ${grpcStatus}` } : {}),
    durationMs: Number(nanos(root.endTimeUnixNano) - nanos(root.startTimeUnixNano)) / 1e6,
    spanCount: spans.length,
    services: [...firstStart.entries()].sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([service]) => service),
    errors: spans.filter((span) => span.statusCode === 2).length,
  };
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** The line `pnpm dev` prints: trace id (first 8 hex digits), request, status, duration, spans, services, errors. */
export function formatTraceSummary(summary: TraceSummary): string {
  const duration = summary.durationMs < 10 ? summary.durationMs.toFixed(1) : String(Math.round(summary.durationMs));
  return [
    `trace ${summary.traceId.slice(0, 8)}… ${summary.label}${summary.status ? ` ${summary.status}` : ''}`,
    `${duration} ms`,
    plural(summary.spanCount, 'span'),
    summary.services.join(' → '),
    ...(summary.errors > 0 ? [plural(summary.errors, 'error')] : []),
  ].join(' · ');
}

export interface TraceGrouperOptions {
  /** After the root span arrived, how long no further span of its trace must come before it is done. Default 1500 ms. */
  readonly settleMs?: number;
  /** A trace whose root never arrives is done after this long without a new span. Default 5000 ms. */
  readonly orphanMs?: number;
  /** Traces held at once; beyond it the oldest is handed on as it is. Default 500. */
  readonly maxTraces?: number;
  /** Spans kept per trace; later ones are dropped. Default 1000. */
  readonly maxSpansPerTrace?: number;
}

interface Pending {
  readonly spans: ReceivedSpan[];
  hasRoot: boolean;
  timer?: NodeJS.Timeout;
}

/**
 * Groups spans by trace id and hands each trace on once it is done: its root span (no parent) has
 * arrived and no span of it came for `settleMs` (the spans of other processes, such as an event
 * consumer, arrive on their own export schedule), or, without a root, nothing came for `orphanMs`.
 * Memory is bounded: at most `maxTraces` traces of `maxSpansPerTrace` spans, and the ids of the last
 * `maxTraces` finished traces, whose late spans are dropped rather than printed as a second trace.
 */
export class TraceGrouper {
  readonly #pending = new Map<string, Pending>();
  readonly #done = new Set<string>();
  readonly #settleMs: number;
  readonly #orphanMs: number;
  readonly #maxTraces: number;
  readonly #maxSpansPerTrace: number;

  constructor(
    private readonly onTrace: (spans: readonly ReceivedSpan[]) => void,
    options: TraceGrouperOptions = {},
  ) {
    this.#settleMs = options.settleMs ?? 1_500;
    this.#orphanMs = options.orphanMs ?? 5_000;
    this.#maxTraces = options.maxTraces ?? 500;
    this.#maxSpansPerTrace = options.maxSpansPerTrace ?? 1_000;
  }

  add(spans: readonly ReceivedSpan[]): void {
    const touched = new Set<string>();
    for (const span of spans) {
      if (this.#done.has(span.traceId)) continue;
      let trace = this.#pending.get(span.traceId);
      if (!trace) {
        if (this.#pending.size >= this.#maxTraces) this.#finish(this.#pending.keys().next().value!);
        trace = { spans: [], hasRoot: false };
        this.#pending.set(span.traceId, trace);
      }
      if (trace.spans.length < this.#maxSpansPerTrace) trace.spans.push(span);
      if (!span.parentSpanId) trace.hasRoot = true;
      touched.add(span.traceId);
    }
    for (const traceId of touched) {
      const trace = this.#pending.get(traceId);
      if (!trace) continue;
      clearTimeout(trace.timer);
      trace.timer = setTimeout(() => this.#finish(traceId), trace.hasRoot ? this.#settleMs : this.#orphanMs);
      // A dev tool's timers must not keep the process alive.
      trace.timer.unref();
    }
  }

  /** Hands on every trace still held, at once (on shutdown). */
  flush(): void {
    for (const traceId of [...this.#pending.keys()]) this.#finish(traceId);
  }

  #finish(traceId: string): void {
    const trace = this.#pending.get(traceId);
    if (!trace) return;
    clearTimeout(trace.timer);
    this.#pending.delete(traceId);
    this.#done.add(traceId);
    if (this.#done.size > this.#maxTraces) this.#done.delete(this.#done.values().next().value!);
    this.onTrace(trace.spans);
  }
}
