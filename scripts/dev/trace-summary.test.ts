import { afterEach, describe, expect, it, vi } from 'vitest';
import { SPAN_KIND, type ReceivedSpan } from './otlp-receiver.js';
import { TraceGrouper, formatTraceSummary, isRequestTrace, rootOf, summarizeTrace } from './trace-summary.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const MS = 1_000_000n;
const T0 = 1_764_590_000_000n * MS;

let nextId = 1;
function span(fields: Partial<ReceivedSpan> & { startMs?: number; durationMs?: number } = {}): ReceivedSpan {
  const { startMs = 0, durationMs = 1, ...rest } = fields;
  const start = T0 + BigInt(Math.round(startMs * 1e6));
  return {
    service: 'public-api',
    traceId: TRACE,
    spanId: (nextId++).toString(16).padStart(16, '0'),
    parentSpanId: '',
    name: 'span',
    kind: SPAN_KIND.INTERNAL,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + BigInt(Math.round(durationMs * 1e6))),
    attributes: {},
    statusCode: 0,
    ...rest,
  };
}

/** A post through the gateway: gateway → secure-api → auth-service (gRPC) and public-api, then event-consumer. */
function postTrace(): ReceivedSpan[] {
  const root = span({
    service: 'gateway',
    kind: SPAN_KIND.SERVER,
    name: 'POST /api/secure/',
    durationMs: 34.4,
    attributes: { 'http.request.method': 'POST', 'url.path': '/api/secure/messages', 'http.response.status_code': 201 },
  });
  const secure = span({ service: 'secure-api', kind: SPAN_KIND.SERVER, parentSpanId: root.spanId, startMs: 1, durationMs: 30 });
  const verify = span({ service: 'secure-api', kind: SPAN_KIND.CLIENT, parentSpanId: secure.spanId, startMs: 2, durationMs: 5 });
  const auth = span({ service: 'auth-service', kind: SPAN_KIND.SERVER, parentSpanId: verify.spanId, startMs: 3, durationMs: 3 });
  const internal = span({ service: 'public-api', kind: SPAN_KIND.SERVER, parentSpanId: secure.spanId, startMs: 10, durationMs: 10, statusCode: 2 });
  const consumer = span({ service: 'event-consumer', kind: SPAN_KIND.CONSUMER, parentSpanId: internal.spanId, startMs: 40, durationMs: 4 });
  // Out of start order, as several processes deliver them.
  return [consumer, internal, auth, verify, secure, root];
}

describe('trace summary line', () => {
  it('when a request went through the gateway to four services, then one line names the request, status, duration, span count and the services in order', () => {
    const summary = summarizeTrace(postTrace());
    expect(summary).toEqual({
      traceId: TRACE,
      label: 'POST /api/secure/messages',
      status: '201',
      durationMs: 34.4,
      spanCount: 6,
      services: ['gateway', 'secure-api', 'auth-service', 'public-api', 'event-consumer'],
      errors: 1,
    });
    expect(formatTraceSummary(summary!)).toBe(
      'trace 4bf92f35… POST /api/secure/messages 201 · 34 ms · 6 spans · gateway → secure-api → auth-service → public-api → event-consumer · 1 error',
    );
  });

  it('when the root has no HTTP attributes, then its name stands in; older semantic conventions and gRPC statuses are read too', () => {
    const grpc = span({ kind: SPAN_KIND.SERVER, name: 'grpc.auth.v1.AuthService/GetSession', durationMs: 2.25, attributes: { 'rpc.grpc.status_code': 0 } });
    expect(formatTraceSummary(summarizeTrace([grpc])!)).toBe('trace 4bf92f35… grpc.auth.v1.AuthService/GetSession grpc 0 · 2.3 ms · 1 span · public-api');
    const old = span({ kind: SPAN_KIND.SERVER, attributes: { 'http.method': 'GET', 'http.target': '/api/public/messages?limit=20', 'http.status_code': 200 } });
    expect(summarizeTrace([old])).toMatchObject({ label: 'GET /api/public/messages', status: '200' });
  });

  it('when the root span never arrived, then the earliest span whose parent is missing is the root', () => {
    const [, , , , secure] = postTrace();
    const orphans = postTrace().filter((s) => s.service !== 'gateway');
    expect(rootOf(orphans)?.service).toBe('secure-api');
    expect(secure).toBeDefined();
  });

  it('when a trace is background work (a query at start-up), then it is not a request trace; a consumed event is', () => {
    expect(isRequestTrace([span({ kind: SPAN_KIND.CLIENT, name: 'SELECT' })])).toBe(false);
    expect(isRequestTrace([span({ kind: SPAN_KIND.CONSUMER })])).toBe(true);
    expect(isRequestTrace(postTrace())).toBe(true);
  });
});

describe('TraceGrouper', () => {
  afterEach(() => vi.useRealTimers());

  it('when the root arrives, then the trace is handed on once no span of it came for the settle time, late spans included', () => {
    vi.useFakeTimers();
    const done: (readonly ReceivedSpan[])[] = [];
    const grouper = new TraceGrouper((spans) => done.push(spans), { settleMs: 1_000, orphanMs: 5_000 });
    const [consumer, ...rest] = postTrace();
    grouper.add(rest);
    vi.advanceTimersByTime(900);
    grouper.add([consumer!]);
    vi.advanceTimersByTime(900);
    expect(done).toHaveLength(0);
    vi.advanceTimersByTime(100);
    expect(done).toHaveLength(1);
    expect(done[0]).toHaveLength(6);
    // A straggler of a finished trace is not a second trace.
    grouper.add([span({ parentSpanId: consumer!.spanId })]);
    vi.advanceTimersByTime(10_000);
    expect(done).toHaveLength(1);
  });

  it('when the root never arrives, then the trace is handed on after the orphan time', () => {
    vi.useFakeTimers();
    const done: (readonly ReceivedSpan[])[] = [];
    const grouper = new TraceGrouper((spans) => done.push(spans), { settleMs: 1_000, orphanMs: 5_000 });
    grouper.add(postTrace().filter((s) => s.service !== 'gateway'));
    vi.advanceTimersByTime(4_999);
    expect(done).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(done).toHaveLength(1);
  });

  it('when more traces are open than it holds, then the oldest is handed on early, and a trace keeps at most its span limit', () => {
    const done: (readonly ReceivedSpan[])[] = [];
    const grouper = new TraceGrouper((spans) => done.push(spans), { maxTraces: 2, maxSpansPerTrace: 3 });
    const ids = ['a', 'b', 'c'].map((c) => c.repeat(32));
    for (const traceId of ids) grouper.add([span({ traceId, parentSpanId: 'f'.repeat(16) })]);
    expect(done.map((spans) => spans[0]?.traceId)).toEqual([ids[0]]);
    grouper.add(Array.from({ length: 10 }, () => span({ traceId: ids[1], parentSpanId: 'f'.repeat(16) })));
    grouper.flush();
    expect(done.map((spans) => spans.length)).toEqual([1, 3, 1]);
  });
});
