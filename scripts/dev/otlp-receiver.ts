// A small OTLP/HTTP trace receiver: what `pnpm dev` sends the spans of its processes to when no
// collector is configured (it prints one line per trace), and what test/system/trace.int.test.ts
// collects a trace in. It takes the JSON encoding (OTEL_EXPORTER_OTLP_PROTOCOL=http/json), which
// JSON.parse and a zod schema decode; protobuf is answered 415, so a misconfigured exporter says why.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/** A span as the OTLP/JSON encoding carries it, with the name of the service that exported it. */
export interface ReceivedSpan {
  /** `service.name` of the exporting resource; `unknown` when it has none. */
  readonly service: string;
  /** 32 hex digits. */
  readonly traceId: string;
  /** 16 hex digits. */
  readonly spanId: string;
  /** 16 hex digits, or '' for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  /** OTLP's SpanKind numbers: 1 internal, 2 server, 3 client, 4 producer, 5 consumer (0 unspecified). */
  readonly kind: number;
  /** Nanoseconds since the Unix epoch, as a decimal string (OTLP/JSON's encoding of a uint64). */
  readonly startTimeUnixNano: string;
  readonly endTimeUnixNano: string;
  /** Attribute values unwrapped from OTLP's AnyValue (`{ stringValue }` → the string). */
  readonly attributes: Record<string, unknown>;
  /** OTLP's StatusCode: 0 unset, 1 ok, 2 error. */
  readonly statusCode: number;
}

/** SpanKind as OTLP numbers it. */
export const SPAN_KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;

// OTLP/JSON writes a uint64 as a decimal string; a number (some SDKs) is taken too, however imprecise.
const uint64 = z.union([
  z.string().regex(/^\d+$/),
  z
    .number()
    .nonnegative()
    .transform((n) => BigInt(Math.trunc(n)).toString()),
]);
const attributeList = z
  .array(z.object({ key: z.string(), value: z.record(z.string(), z.unknown()).optional() }))
  .optional()
  .transform((list = []) => Object.fromEntries(list.map(({ key, value }) => [key, value ? Object.values(value)[0] : undefined])));

// The parts of ExportTraceServiceRequest (opentelemetry-proto, trace_service.proto) the summary and
// the tests read; other fields are ignored.
const exportTraceRequest = z.object({
  resourceSpans: z
    .array(
      z.object({
        resource: z.object({ attributes: attributeList }).optional(),
        scopeSpans: z
          .array(
            z.object({
              spans: z
                .array(
                  z.object({
                    traceId: z.string().regex(/^[0-9a-f]{32}$/i),
                    spanId: z.string().regex(/^[0-9a-f]{16}$/i),
                    parentSpanId: z.string().optional(),
                    name: z.string(),
                    kind: z.number().int().min(0).max(5).optional(),
                    startTimeUnixNano: uint64,
                    endTimeUnixNano: uint64,
                    attributes: attributeList,
                    status: z.object({ code: z.number().int().optional() }).optional(),
                  }),
                )
                .optional(),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
});

/** The spans of one OTLP/JSON ExportTraceServiceRequest body; throws a ZodError when it is not one. */
export function spansOfExportRequest(body: unknown): ReceivedSpan[] {
  const request = exportTraceRequest.parse(body);
  return (request.resourceSpans ?? []).flatMap((resourceSpans) => {
    const serviceName = resourceSpans.resource?.attributes['service.name'];
    const service = typeof serviceName === 'string' ? serviceName : 'unknown';
    return (resourceSpans.scopeSpans ?? []).flatMap((scope) =>
      (scope.spans ?? []).map((span) => ({
        service,
        traceId: span.traceId.toLowerCase(),
        spanId: span.spanId.toLowerCase(),
        parentSpanId: (span.parentSpanId ?? '').toLowerCase(),
        name: span.name,
        kind: span.kind ?? 0,
        startTimeUnixNano: span.startTimeUnixNano,
        endTimeUnixNano: span.endTimeUnixNano,
        attributes: span.attributes,
        statusCode: span.status?.code ?? 0,
      })),
    );
  });
}

export interface OtlpReceiver {
  /** The base URL to give exporters as OTEL_EXPORTER_OTLP_ENDPOINT, e.g. http://127.0.0.1:4318. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface OtlpReceiverOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1: spans name users and queries, so they stay on this machine. */
  readonly host?: string;
  /** Called with the spans of every accepted export request, in the order they came. */
  readonly onSpans: (spans: ReceivedSpan[]) => void;
}

// The SDK's batch processor sends at most 512 spans a request; this leaves room for big attributes.
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * Listens for OTLP/HTTP JSON trace exports on POST /v1/traces. Answers 200 `{}` to a valid request,
 * 415 to protobuf (set OTEL_EXPORTER_OTLP_PROTOCOL=http/json), 413 above 16 MiB, 400 to anything
 * else it cannot decode, 404 off that path. Rejects when the port cannot be bound (EADDRINUSE).
 */
export async function startOtlpReceiver(options: OtlpReceiverOptions): Promise<OtlpReceiver> {
  const server = createServer((req, res) => void receive(req, res, options.onSpans));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function receive(req: IncomingMessage, res: ServerResponse, onSpans: (spans: ReceivedSpan[]) => void): Promise<void> {
  const answer = (status: number, message?: string) => {
    const body = JSON.stringify(message ? { code: status, message } : {});
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  };
  if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://receiver').pathname !== '/v1/traces') {
    req.resume();
    answer(404, 'this receiver takes traces only: POST /v1/traces');
    return;
  }
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    req.resume();
    answer(415, 'only the OTLP/JSON encoding is accepted: set OTEL_EXPORTER_OTLP_PROTOCOL=http/json');
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    // Read to the end even past the limit, so the 413 reaches the exporter on an intact connection.
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    }
  } catch {
    // The exporter went away mid-request; it retries on its own.
    return;
  }
  if (size > MAX_BODY_BYTES) {
    answer(413, `an export request may be at most ${MAX_BODY_BYTES} bytes`);
    return;
  }
  let spans: ReceivedSpan[];
  try {
    spans = spansOfExportRequest(JSON.parse(Buffer.concat(chunks).toString('utf8')));
  } catch (error) {
    answer(400, `not an OTLP/JSON ExportTraceServiceRequest: ${error instanceof Error ? error.message.slice(0, 300) : String(error)}`);
    return;
  }
  answer(200);
  onSpans(spans);
}
