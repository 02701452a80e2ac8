// Issue 12: one trace follows a signed-in post through every hop, across four processes. The
// browser's HTTP request reaches secure-api, which verifies the token over gRPC with auth-service
// and writes through public-api's internal HTTP route; public-api stores the message and its event
// in the outbox, its relay publishes the event to JetStream, and event-consumer writes the
// activity row to MySQL. Each process exports its spans over OTLP/HTTP to a receiver in this test.
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  freePort,
  privateNatsServer,
  signUpUser,
  startAuthServiceProcess,
  startServiceProcess,
  waitFor,
  waitForUrl,
  type AuthServiceProcess,
  type PrivateNatsServer,
  type ServiceProcess,
  type TestDatabase,
} from '@testbed/service-kit/testing';

const SERVICES = join(import.meta.dirname, '..', '..', 'services');

/** A span as the OTLP/JSON encoding carries it (ids in hex), with the exporting service's name. */
interface ReceivedSpan {
  readonly service: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  readonly kind: number;
  readonly startTimeUnixNano: string;
  readonly endTimeUnixNano: string;
  readonly attributes: Record<string, unknown>;
}

interface OtlpAttribute {
  key: string;
  value: Record<string, unknown>;
}

interface OtlpTraceRequest {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: { spans?: (Omit<ReceivedSpan, 'service' | 'attributes'> & { attributes?: OtlpAttribute[] })[] }[];
  }[];
}

// SpanKind as OTLP numbers it (SPAN_KIND_SERVER = 2 ...).
const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;

const received: ReceivedSpan[] = [];
let receiver: Server;
let receiverUrl: string;
let database: TestDatabase;
let nats: PrivateNatsServer;
let auth: AuthServiceProcess | undefined;
const services: ServiceProcess[] = [];
let secureApiUrl: string;

const attributes = (list: OtlpAttribute[] = []) => Object.fromEntries(list.map(({ key, value }) => [key, Object.values(value)[0]]));

/** The trace as an indented tree: service, kind and name, children in start order. */
function spanTree(spans: readonly ReceivedSpan[]): string {
  const kinds = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
  const ids = new Set(spans.map((span) => span.spanId));
  const lines: string[] = [];
  const visit = (parentId: string | undefined, depth: number) => {
    const children = spans
      .filter((span) => (parentId === undefined ? !ids.has(span.parentSpanId) : span.parentSpanId === parentId))
      .sort((a, b) => Number(BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano)));
    for (const span of children) {
      const ms = Number(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / 1e6;
      lines.push(`${'  '.repeat(depth)}${span.service} ${kinds[span.kind]} ${span.name} (${ms.toFixed(1)} ms)`);
      visit(span.spanId, depth + 1);
    }
  };
  visit(undefined, 0);
  return `trace ${spans[0]?.traceId}\n${lines.join('\n')}`;
}

function startReceiver(): Promise<void> {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as OtlpTraceRequest;
      for (const resourceSpans of body.resourceSpans ?? []) {
        const service = String(attributes(resourceSpans.resource?.attributes)['service.name']);
        for (const scope of resourceSpans.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) {
            received.push({ ...span, service, attributes: attributes(span.attributes) });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) =>
    receiver.listen(0, '127.0.0.1', () => {
      const address = receiver.address();
      receiverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      resolve();
    }),
  );
}

const tracing = (service: string) => ({
  OTEL_SDK_DISABLED: 'false',
  OTEL_SERVICE_NAME: service,
  OTEL_TRACES_EXPORTER: 'otlp',
  OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
  OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl,
  // Export within a fraction of a second, not the default 5 s.
  OTEL_BSP_SCHEDULE_DELAY: '100',
  LOG_LEVEL: 'warn',
});

async function startService(name: string, port: number, env: Record<string, string>): Promise<void> {
  const service = startServiceProcess(join(SERVICES, name), { PORT: String(port), ...tracing(name), ...env });
  services.push(service);
  await waitForUrl(`http://127.0.0.1:${port}/readyz`, { timeoutMs: 60_000, what: `${name} readiness:\n${service.output()}` });
}

beforeAll(async () => {
  await startReceiver();
  database = await createTestDatabase('trace');
  nats = await privateNatsServer();
  await nats.start();
  auth = await startAuthServiceProcess(tracing('auth-service'));
  const [publicPort, publicInternal, securePort, consumerPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const datastores = { MYSQL_URL: database.url, NATS_URL: nats.url };
  await startService('public-api', publicPort, {
    ...datastores,
    INTERNAL_PORT: String(publicInternal),
    REDIS_URL: '',
    AUTH_GRPC_ADDR: auth.address,
    READ_MODELS_URL: `http://127.0.0.1:${consumerPort}`,
  });
  await startService('event-consumer', consumerPort, {
    ...datastores,
    REDIS_URL: process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    STATS_PREFIX: `trace-${database.name}:stats`,
  });
  await startService('secure-api', securePort, {
    MYSQL_URL: database.url,
    REDIS_URL: '',
    NATS_URL: '',
    AUTH_GRPC_ADDR: auth.address,
    PUBLIC_API_URL: `http://127.0.0.1:${publicInternal}`,
  });
  secureApiUrl = `http://127.0.0.1:${securePort}`;
}, 180_000);

afterAll(async () => {
  for (const service of services.reverse()) await service.stop();
  await auth?.stop();
  await nats?.dispose();
  await database?.drop();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('distributed tracing', () => {
  it('when a signed-in user posts, then one trace id covers HTTP, the gRPC token check, the NATS publish and the consumer MySQL write', async () => {
    const user = await signUpUser({ displayName: 'Trace Tester' });
    const response = await fetch(`${secureApiUrl}/api/secure/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.idToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'follow me through every hop' }),
    });
    expect(response.status, await response.clone().text()).toBe(201);

    // The SQL of a mysql2 span: the current semantic-conventions attribute, the older one, else the span name.
    const queryTextOf = (span: ReceivedSpan) =>
      [span.attributes['db.query.text'], span.attributes['db.statement'], span.name].find((v): v is string => typeof v === 'string') ?? '';
    const entry = () => received.find((span) => span.service === 'secure-api' && span.kind === SERVER && span.name === 'POST /api/secure/messages');
    const inTrace = () => received.filter((span) => span.traceId === entry()?.traceId);
    const consumerWrite = () => inTrace().find((span) => span.service === 'event-consumer' && span.kind === CLIENT && /^insert/i.test(queryTextOf(span)));
    const consumerSpan = () => inTrace().find((span) => span.spanId === consumerWrite()?.parentSpanId);
    // A parent ends, and so is exported, after its children: wait for the write's parent too.
    await waitFor(async () => consumerSpan() !== undefined, {
      timeoutMs: 30_000,
      what: `the consumer's MySQL write in the trace; spans so far:\n${received.map((s) => `${s.service} ${s.name}`).join('\n')}`,
    });

    const spans = inTrace();
    // The span tree, for reading a failure (and for docs/observability.md: TRACE_TREE=1).
    if (process.env['TRACE_TREE']) process.stdout.write(`${spanTree(spans)}\n`);
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const hops = (service: string, kind: number, name: RegExp) =>
      spans.filter((span) => span.service === service && span.kind === kind && name.test(span.name));

    // The hops, each in the one trace.
    expect(hops('secure-api', CLIENT, /VerifyToken/)).not.toHaveLength(0);
    expect(hops('auth-service', SERVER, /VerifyToken/)).not.toHaveLength(0);
    expect(hops('public-api', SERVER, /^POST /)).not.toHaveLength(0);
    const [publish] = hops('public-api', PRODUCER, /^send /);
    expect(publish?.attributes['messaging.system']).toBe('nats');
    // The chain is a tree, not just a shared id: the consumer write sits under a consumer span
    // (one per subscription that handles the event) whose parent is the relay's publish, and every
    // span's parent is in the trace, up to the secure-api root.
    let ancestor = byId.get(consumerWrite()!.parentSpanId);
    while (ancestor && ancestor.kind !== CONSUMER) ancestor = byId.get(ancestor.parentSpanId);
    expect(ancestor?.service, spanTree(spans)).toBe('event-consumer');
    expect(ancestor?.parentSpanId).toBe(publish?.spanId);
    for (const span of spans) {
      if (span === entry()) continue;
      expect(byId.has(span.parentSpanId), `${span.service} ${span.name} has its parent in the trace`).toBe(true);
    }
    expect(new Set(spans.map((span) => span.service))).toEqual(new Set(['secure-api', 'auth-service', 'public-api', 'event-consumer']));
  });
});
