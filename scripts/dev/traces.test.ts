import { describe, expect, it } from 'vitest';
import { describeTraces, traceEnv, wantsTraceSummary } from './traces.js';

describe('pnpm dev trace settings', () => {
  it('when no exporter or endpoint is set, then spans go to the summary receiver as OTLP/JSON, and the summary says how to use Jaeger instead', () => {
    expect(wantsTraceSummary({})).toBe(true);
    expect(traceEnv({}, 'http://127.0.0.1:4318')).toEqual({
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '500',
    });
    expect(describeTraces({}, 'http://127.0.0.1:4318')).toMatch(/^one line per request in this log .*OTEL_EXPORTER_OTLP_ENDPOINT/);
  });

  it('when a stack runs without the summary (tests), then spans are not recorded', () => {
    expect(traceEnv({})).toEqual({ OTEL_TRACES_EXPORTER: 'none' });
    expect(describeTraces({})).toMatch(/^not recorded/);
  });

  it('when an OTLP endpoint is set, then no summary runs, the SDK default (OTLP) is kept and the summary names the endpoint', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' };
    expect(wantsTraceSummary(env)).toBe(false);
    expect(traceEnv(env, 'http://127.0.0.1:4318')).toEqual({});
    expect(describeTraces(env)).toBe('OTLP to http://localhost:4318 (OTEL_TRACES_EXPORTER=otlp)');
  });

  it('when the SDK is disabled or prints to the console, then no summary runs and the summary says so', () => {
    expect(wantsTraceSummary({ OTEL_SDK_DISABLED: 'true' })).toBe(false);
    expect(describeTraces({ OTEL_SDK_DISABLED: 'true' })).toBe('off (OTEL_SDK_DISABLED=true)');
    expect(describeTraces({ OTEL_TRACES_EXPORTER: 'console' })).toMatch(/console/);
  });
});
