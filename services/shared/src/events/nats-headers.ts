import { headers, type MsgHdrs } from '@nats-io/transport-node';
import type { TraceCarrier } from '../telemetry/context.js';

/**
 * The NATS headers every published CloudEvent carries: its content type (the CloudEvents NATS
 * protocol binding, structured mode: the body is the whole event as JSON) and the W3C trace
 * context (`traceparent`, `tracestate`) of `carrier`, so the consumer's span joins the trace of
 * the request that caused the event. Fields absent from `carrier` are left out.
 */
export function cloudEventHeaders(carrier: TraceCarrier): MsgHdrs {
  const h = headers();
  h.set('Content-Type', 'application/cloudevents+json');
  if (carrier.traceparent) h.set('traceparent', carrier.traceparent);
  if (carrier.tracestate) h.set('tracestate', carrier.tracestate);
  return h;
}
