import { afterEach, describe, expect, it } from 'vitest';
import { SPAN_KIND, spansOfExportRequest, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver.js';

// What @opentelemetry/exporter-trace-otlp-http sends with OTEL_EXPORTER_OTLP_PROTOCOL=http/json (trimmed).
const EXPORT = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'secure-api' } }] },
      scopeSpans: [
        {
          scope: { name: '@opentelemetry/instrumentation-http' },
          spans: [
            {
              traceId: '4BF92F3577B34DA6A3CE929D0E0E4736',
              spanId: '00f067aa0ba902b7',
              parentSpanId: '',
              name: 'POST /api/secure/messages',
              kind: 2,
              startTimeUnixNano: '1764590000000000000',
              endTimeUnixNano: '1764590000034000000',
              attributes: [
                { key: 'http.status_code', value: { intValue: 201 } },
                { key: 'http.method', value: { stringValue: 'POST' } },
              ],
              status: { code: 0 },
              events: [],
            },
          ],
        },
      ],
    },
  ],
};

describe('OTLP/JSON decoding', () => {
  it('when an exporter sends a request, then each span comes out with its service, lower-case ids and unwrapped attributes', () => {
    expect(spansOfExportRequest(EXPORT)).toEqual([
      {
        service: 'secure-api',
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        spanId: '00f067aa0ba902b7',
        parentSpanId: '',
        name: 'POST /api/secure/messages',
        kind: SPAN_KIND.SERVER,
        startTimeUnixNano: '1764590000000000000',
        endTimeUnixNano: '1764590000034000000',
        attributes: { 'http.status_code': 201, 'http.method': 'POST' },
        statusCode: 0,
      },
    ]);
  });

  it('when the body is not an export request, then it is refused', () => {
    expect(() => spansOfExportRequest({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'nope' }] }] }] })).toThrow();
  });
});

describe('OTLP receiver', () => {
  let receiver: OtlpReceiver | undefined;
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  it('when spans are posted as JSON, then they are handed on and the exporter gets 200; protobuf gets 415 with the fix', async () => {
    const received: ReceivedSpan[] = [];
    receiver = await startOtlpReceiver({ onSpans: (spans) => received.push(...spans) });
    const post = (contentType: string, body: string) => fetch(`${receiver!.url}/v1/traces`, { method: 'POST', headers: { 'content-type': contentType }, body });

    const ok = await post('application/json', JSON.stringify(EXPORT));
    expect(ok.status).toBe(200);
    expect(received.map((span) => span.name)).toEqual(['POST /api/secure/messages']);

    const protobuf = await post('application/x-protobuf', 'binary');
    expect(protobuf.status).toBe(415);
    expect(await protobuf.text()).toContain('OTEL_EXPORTER_OTLP_PROTOCOL=http/json');
    expect((await post('application/json', '{"resourceSpans": 3}')).status).toBe(400);
    expect((await fetch(`${receiver.url}/v1/metrics`, { method: 'POST' })).status).toBe(404);
  });
});
