import { build as buildHistogram } from 'hdr-histogram-js';

/** One closed-loop run's outcome. */
export interface CallLoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly seconds: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * Closed-loop load on an async call, the way autocannon drives HTTP: `concurrency` calls in flight
 * until `durationS` is over, each slot starting its next call when the previous one settled.
 * npm has no maintained gRPC load generator for Node (ghz is a Go binary): `concurrency` loops
 * over one grpc-js client are the whole load model, and hdr-histogram-js (the histogram autocannon
 * uses) records the latencies, in microseconds. A call that rejects counts as an error.
 */
export async function callLoad(call: () => Promise<unknown>, options: { concurrency: number; durationS: number }): Promise<CallLoadResult> {
  // Microseconds, up to 60 s, 3 significant digits: the same resolution autocannon keeps.
  const histogram = buildHistogram({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  const started = performance.now();
  const deadline = started + options.durationS * 1000;
  let requests = 0;
  let errors = 0;
  const slot = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        await call();
        histogram.recordValue(Math.max(1, Math.round((performance.now() - t0) * 1000)));
        requests += 1;
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, slot));
  const seconds = (performance.now() - started) / 1000;
  const result = {
    requests,
    errors,
    seconds,
    p50Ms: histogram.getValueAtPercentile(50) / 1000,
    p99Ms: histogram.getValueAtPercentile(99) / 1000,
  };
  histogram.destroy();
  return result;
}
