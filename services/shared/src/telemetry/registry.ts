import { context, type Context } from '@opentelemetry/api';
import type { NodeSDK } from '@opentelemetry/sdk-node';
import { withTimeout } from '../wait.js';

/**
 * What the preload leaves for the rest of the kit: its SDK and `suppressTracing` from
 * @opentelemetry/core. Kept on a global symbol so that kit code reaches them without importing the
 * SDK or core, which stay unloaded when telemetry is off (and out of the test runner's module graph).
 */
export const TELEMETRY_KEY = Symbol.for('testbed.telemetry');
export interface Telemetry {
  readonly sdk: NodeSDK;
  readonly suppressTracing: (context: Context) => Context;
}
export type WithTelemetry = typeof globalThis & { [TELEMETRY_KEY]?: Telemetry };

/** How long shutdown waits for the last spans to be exported, in milliseconds. */
const TELEMETRY_FLUSH_BUDGET_MS = 2_000;

/**
 * Exports the spans still buffered and stops the SDK; the last shutdown step, so the spans of the
 * requests drained during shutdown reach the collector. Best effort: spans not exported within
 * `budgetMs` (a collector down or slow; the OTLP exporter retries for up to 10 s) are dropped, and an
 * export error is not a failed shutdown, so tracing can never turn a clean exit into exit 1 or
 * overrun SHUTDOWN_TIMEOUT_MS. Does nothing when telemetry was not started.
 */
export async function shutdownTelemetry(budgetMs = TELEMETRY_FLUSH_BUDGET_MS): Promise<void> {
  const holder = globalThis as WithTelemetry;
  const telemetry = holder[TELEMETRY_KEY];
  if (!telemetry) return;
  delete holder[TELEMETRY_KEY];
  await withTimeout(telemetry.sdk.shutdown(), budgetMs, 'telemetry flush').catch(() => undefined);
}

/** Runs `work` with tracing suppressed (no spans, no propagation); just runs it when telemetry is off. */
export function untraced<T>(work: () => T): T {
  const telemetry = (globalThis as WithTelemetry)[TELEMETRY_KEY];
  return telemetry ? context.with(telemetry.suppressTracing(context.active()), work) : work();
}
