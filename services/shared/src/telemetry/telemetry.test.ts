import { INVALID_SPAN_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import type { NodeSDK } from '@opentelemetry/sdk-node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { traceIdsOf } from './context.js';
import { TELEMETRY_KEY, shutdownTelemetry, type WithTelemetry } from './registry.js';

describe('traceIdsOf (the log lines’ trace_id and span_id)', () => {
  it('when there is no span, then no fields', () => {
    expect(traceIdsOf(undefined)).toEqual({});
  });

  it('when the span is non-recording with all-zero ids (no tracer provider, e.g. OTEL_TRACES_EXPORTER=none), then no fields', () => {
    expect(traceIdsOf(trace.wrapSpanContext(INVALID_SPAN_CONTEXT))).toEqual({});
  });

  it('when the span has valid ids, then both are given', () => {
    const span = trace.wrapSpanContext({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED });
    expect(traceIdsOf(span)).toEqual({ trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7' });
  });
});

describe('shutdownTelemetry', () => {
  const holder = globalThis as WithTelemetry;
  const installSdk = (shutdown: () => Promise<void>) => {
    holder[TELEMETRY_KEY] = { sdk: { shutdown } as unknown as NodeSDK, suppressTracing: (context) => context };
  };

  afterEach(() => {
    delete holder[TELEMETRY_KEY];
    vi.useRealTimers();
  });

  it('when the collector never answers, then it gives up after its budget instead of holding the shutdown', async () => {
    vi.useFakeTimers();
    installSdk(() => new Promise<void>(() => undefined));
    const done = vi.fn();
    const flushing = shutdownTelemetry(2_000).then(done);

    await vi.advanceTimersByTimeAsync(1_999);
    expect(done).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    await flushing;
    expect(done).toHaveBeenCalled();
  });

  it('when the export fails, then the shutdown step still succeeds', async () => {
    installSdk(() => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:4318')));
    await expect(shutdownTelemetry()).resolves.toBeUndefined();
  });

  it('when telemetry was never started, then there is nothing to do', async () => {
    await expect(shutdownTelemetry()).resolves.toBeUndefined();
  });
});
