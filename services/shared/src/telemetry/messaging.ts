import { SpanKind, SpanStatusCode, context, trace, type Context, type Span } from '@opentelemetry/api';

const tracer = trace.getTracer('@testbed/service-kit/events');

/**
 * Runs `work` in a messaging span (OpenTelemetry messaging conventions; `messaging.system` is nats
 * unless `system` says otherwise):
 * a PRODUCER span for a publish, a CONSUMER span for processing a delivered event. `parent` is the
 * context the event was written in, so the spans join the request's trace. A throw marks the span
 * as failed and is rethrown.
 */
export function inMessagingSpan<T>(
  options: {
    readonly operation: 'send' | 'process';
    readonly system?: string;
    readonly subject: string;
    readonly messageId?: string | undefined;
    /** The context the event was written in; default the active one (publishing in the request's own flow). */
    readonly parent?: Context;
    readonly attributes?: Record<string, string | number>;
  },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = tracer.startSpan(
    `${options.operation} ${options.subject}`,
    {
      kind: options.operation === 'send' ? SpanKind.PRODUCER : SpanKind.CONSUMER,
      attributes: {
        'messaging.system': options.system ?? 'nats',
        'messaging.operation.type': options.operation,
        'messaging.destination.name': options.subject,
        ...(options.messageId ? { 'messaging.message.id': options.messageId } : {}),
        ...options.attributes,
      },
    },
    parent,
  );
  return context.with(trace.setSpan(parent, span), async () => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}
