import type { IncomingMessage } from 'node:http';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MySQL2Instrumentation } from '@opentelemetry/instrumentation-mysql2';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { suppressTracing } from '@opentelemetry/core';
import { TELEMETRY_KEY, type WithTelemetry } from './registry.js';

// Probes and scrapes arrive every few seconds from the kubelet and Prometheus; as spans they would
// outnumber the requests people care about.
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export interface TelemetryOptions {
  /** The resource's `service.name`; default: OTEL_SERVICE_NAME, as the SDK reads it. */
  readonly serviceName?: string;
  /**
   * false: no library is patched, only spans made through @opentelemetry/api are recorded (the dev
   * gateway, which makes its own). Default true.
   */
  readonly instrumentations?: boolean;
}

/**
 * Starts the OpenTelemetry Node SDK with the instrumentations this app's libraries need. Everything
 * else (exporter, endpoint, protocol, service name, sampler, batch delays) comes from the standard
 * `OTEL_*` variables the SDK reads itself: `OTEL_SERVICE_NAME`, `OTEL_TRACES_EXPORTER` (`otlp`,
 * `console`, `none`), `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_PROTOCOL`,
 * `OTEL_TRACES_SAMPLER`, `OTEL_BSP_SCHEDULE_DELAY`. Metrics and logs stay with prom-client and pino.
 */
export function startTelemetry(options: TelemetryOptions = {}): NodeSDK {
  const sdk = new NodeSDK({
    ...(options.serviceName ? { serviceName: options.serviceName } : {}),
    // Metrics are prom-client's `/metrics` and logs are pino's stdout; the SDK exports traces only.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: options.instrumentations === false ? [] : instrumentations(),
  });
  sdk.start();
  (globalThis as WithTelemetry)[TELEMETRY_KEY] = { sdk, suppressTracing };
  return sdk;
}

function instrumentations() {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED_PATHS.has(pathOf(request.url)),
    }),
    // One span per middleware (helmet, body parsing, logging) would bury the route and handler spans.
    new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
    new GrpcInstrumentation(),
    new MySQL2Instrumentation(),
    new IORedisInstrumentation(),
    new UndiciInstrumentation(),
  ];
}

function pathOf(url: string | undefined): string {
  const end = url?.indexOf('?') ?? -1;
  return end === -1 ? (url ?? '') : url!.slice(0, end);
}
