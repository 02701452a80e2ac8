import { ROOT_CONTEXT, context, isSpanContextValid, propagation, trace, type Context, type Span } from '@opentelemetry/api';

/** W3C trace-context fields as they travel in message headers and the outbox (`traceparent`, `tracestate`). */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

/**
 * The active trace context as W3C headers, through the globally registered propagator; empty when
 * telemetry is off or nothing is being traced. What the outbox stores with an event at write time.
 */
export function currentTraceCarrier(active: Context = context.active()): TraceCarrier {
  const carrier: Record<string, string> = {};
  propagation.inject(active, carrier);
  return {
    ...(carrier['traceparent'] ? { traceparent: carrier['traceparent'] } : {}),
    ...(carrier['tracestate'] ? { tracestate: carrier['tracestate'] } : {}),
  };
}

/**
 * The trace context a carrier names (message headers, an outbox row). Built on the root context,
 * not the active one: handling a message starts from what the message says, whatever loop it came
 * through (the relay's loop runs with tracing suppressed).
 */
export function contextFromCarrier(carrier: TraceCarrier): Context {
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/**
 * `trace_id` and `span_id` of `span`, for log lines; empty without a span, and for the all-zero ids
 * of a span nobody records (a non-recording span when no tracer provider is installed, as with
 * `OTEL_TRACES_EXPORTER=none`): W3C Trace Context calls those ids invalid.
 */
export function traceIdsOf(span: Span | undefined): { trace_id?: string; span_id?: string } {
  const spanContext = span?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

/** traceIdsOf the active span: pino's `mixin` for every log line (no arguments: pino passes its own). */
export function activeTraceIds(): { trace_id?: string; span_id?: string } {
  return traceIdsOf(trace.getSpan(context.active()));
}
