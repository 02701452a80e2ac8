import { describe, expect, it } from 'vitest';
import { describeTraces, traceEnv } from './traces.js';

describe('pnpm dev trace settings', () => {
  it('when no exporter or endpoint is set, then spans are not recorded, and the summary says how to export them', () => {
    expect(traceEnv({})).toEqual({ OTEL_TRACES_EXPORTER: 'none' });
    expect(describeTraces({})).toMatch(/^not recorded .*OTEL_EXPORTER_OTLP_ENDPOINT/);
  });

  it('when an OTLP endpoint is set, then the SDK default (OTLP) is kept and the summary names the endpoint', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' };
    expect(traceEnv(env)).toEqual({});
    expect(describeTraces(env)).toBe('OTLP to http://localhost:4318 (OTEL_TRACES_EXPORTER=otlp)');
  });

  it('when the SDK is disabled or prints to the console, then the summary says so', () => {
    expect(describeTraces({ OTEL_SDK_DISABLED: 'true' })).toBe('off (OTEL_SDK_DISABLED=true)');
    expect(describeTraces({ OTEL_TRACES_EXPORTER: 'console' })).toMatch(/console/);
  });
});
