import { ROOT_CONTEXT, context, propagation, trace, type Context } from '@opentelemetry/api';

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

/** `trace_id` and `span_id` of the active span, for log lines; empty outside a span. */
export function activeTraceIds(): { trace_id?: string; span_id?: string } {
  const span = trace.getSpan(context.active());
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}
