-- W3C tracestate travels with traceparent: the relay puts both in the NATS message headers, so
-- vendor-specific trace data written by the request's tracer reaches the consumer unchanged.
-- 512 characters is the limit the W3C Trace Context spec sets for what a vendor must propagate.
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS tracestate VARCHAR(512) NULL AFTER traceparent;
