// Issue 12: one trace follows a signed-in post through every hop, across four processes. The
// browser's HTTP request reaches secure-api, which verifies the token over gRPC with auth-service
// and writes through public-api's internal HTTP route; public-api stores the message and its event
// in the outbox, its relay publishes the event to JetStream, and event-consumer writes the
// activity row to MySQL. Each process exports its spans over OTLP/HTTP to the receiver `pnpm dev`'s
// trace summary uses (scripts/dev/otlp-receiver.ts), started by this test.
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

import { SPAN_KIND, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../scripts/dev/otlp-receiver.js';

const SERVICES = join(import.meta.dirname, '..', '..', 'services');
const { SERVER, CLIENT, PRODUCER, CONSUMER } = SPAN_KIND;

const received: ReceivedSpan[] = [];
let receiver: OtlpReceiver | undefined;
let receiverUrl: string;
let database: TestDatabase;
let nats: PrivateNatsServer;
let auth: AuthServiceProcess | undefined;
const services: ServiceProcess[] = [];
let secureApiUrl: string;

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
  receiver = await startOtlpReceiver({ onSpans: (spans) => received.push(...spans) });
  receiverUrl = receiver.url;
  database = await createTestDatabase('trace');
  nats = await privateNatsServer();
  await nats.start();
  // With NATS: the first verification of a sign-in publishes testbed.user.signed_in (a private server, so no one else's stream).
  auth = await startAuthServiceProcess({ ...tracing('auth-service'), NATS_URL: nats.url });
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
  await receiver?.close();
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
    // The first sign-in's announcement is in this trace too (checked below): follow the message.posted event.
    const postedHandled = () => inTrace().filter((span) => span.service === 'event-consumer' && span.kind === CONSUMER && /message\.posted$/.test(span.name));
    const underPosted = (span: ReceivedSpan): boolean => {
      for (let up = inTrace().find((s) => s.spanId === span.parentSpanId); up; up = inTrace().find((s) => s.spanId === up?.parentSpanId)) {
        if (postedHandled().includes(up)) return true;
      }
      return false;
    };
    const consumerWrite = () =>
      inTrace().find((span) => span.service === 'event-consumer' && span.kind === CLIENT && /^insert/i.test(queryTextOf(span)) && underPosted(span));
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

    // auth-service publishes straight to JetStream (no outbox): the sign-in it noticed while verifying
    // the token is announced in the same trace, and event-consumer's handling of it continues it.
    const signInPublish = () => inTrace().find((span) => span.service === 'auth-service' && span.kind === PRODUCER && /signed_in$/.test(span.name));
    const signInHandled = () =>
      inTrace().filter((span) => span.service === 'event-consumer' && span.kind === CONSUMER && span.parentSpanId === signInPublish()?.spanId);
    await waitFor(async () => signInHandled().length > 0, {
      timeoutMs: 30_000,
      what: `the sign-in announcement in the trace:\n${spanTree(inTrace())}`,
    });
    const announcedUnder = inTrace().find((span) => span.spanId === signInPublish()?.parentSpanId);
    expect(announcedUnder?.service).toBe('auth-service');
  });
});
