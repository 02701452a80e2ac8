// The dev gateway's part of a trace: as the edge, it starts each API request's trace with a SERVER
// span, and the forwarded request carries the W3C `traceparent` so the service's spans are its
// children, as Envoy does in a cluster. Made through @opentelemetry/api: where the process has
// started no SDK (tests, the browser tests' stack) the span does nothing and nothing is injected.
// Node's http2 client (the grpc-web → gRPC hop) is not auto-instrumented, and the gateway's own
// undici pool is not either (the runner loads no instrumentations), so both inject explicitly.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

const tracer = trace.getTracer('@testbed/dev-gateway');

/**
 * Runs `forward` inside a SERVER span for `req`, named `<method> <route prefix>` (OpenTelemetry's
 * HTTP server span name with the route as `http.route`), ended when the response closes with its
 * status code; 5xx marks it as an error, as does a client that left before the answer. A
 * `traceparent` the client sent is continued, as Envoy does.
 */
export function inGatewaySpan(
  req: IncomingMessage,
  res: ServerResponse,
  route: { readonly prefix: string; readonly service: string },
  forward: () => void,
): void {
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://gateway');
  const span = tracer.startSpan(
    `${method} ${route.prefix}`,
    {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': method,
        'http.route': route.prefix,
        'url.path': url.pathname,
        'url.scheme': 'http',
        // Which upstream the route table picked; no semantic convention names a gateway's route target.
        'testbed.gateway.upstream': route.service,
        ...(req.headers['user-agent'] ? { 'user_agent.original': req.headers['user-agent'] } : {}),
      },
    },
    parent,
  );
  res.once('close', () => {
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    else if (!res.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR, message: 'the client closed the connection before the response ended' });
    span.end();
  });
  context.with(trace.setSpan(parent, span), forward);
}

/** Adds the active trace context (`traceparent`, `tracestate`) to headers about to go upstream. */
export function injectTraceContext(headers: OutgoingHttpHeaders): void {
  propagation.inject(context.active(), headers);
}
