import type { NodeSDK } from '@opentelemetry/sdk-node';

// Where the preload leaves its SDK: a global symbol, so the shutdown path reaches it without
// importing the SDK (which stays unloaded when telemetry is off).
export const SDK_KEY = Symbol.for('testbed.telemetry.sdk');
export type WithSdk = typeof globalThis & { [SDK_KEY]?: NodeSDK };

/**
 * Exports the spans still buffered and stops the SDK; the last shutdown step, so the spans of the
 * requests drained during shutdown reach the collector. Does nothing when telemetry was not started.
 */
export async function shutdownTelemetry(): Promise<void> {
  const holder = globalThis as WithSdk;
  const sdk = holder[SDK_KEY];
  if (!sdk) return;
  delete holder[SDK_KEY];
  await sdk.shutdown();
}

