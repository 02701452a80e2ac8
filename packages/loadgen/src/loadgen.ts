import type { LoadgenOptions } from './args.js';
import { discoverAuthEndpoints } from './auth-endpoints.js';
import { resolveHostTo } from './network.js';
import { startLiveDisplay, type Output } from './live.js';
import { formatFinal, passes } from './report.js';
import { newFlowStats, runUsers } from './runner.js';
import type { Summary } from './stats.js';

/**
 * One whole run as the command does it: finds Auth, runs the users for the duration (or until
 * SIGINT/SIGTERM), shows the live summary, prints the final one. Resolves true when the error
 * rate is within `maxErrorRate`; rejects when Auth cannot be found (nothing has run then).
 */
export async function runLoadgen(options: LoadgenOptions, output: Output = process.stdout): Promise<boolean> {
  const summary = await runLoad(options, output);
  output.write(`${formatFinal(summary, options.maxErrorRate, { color: output.isTTY })}\n`);
  return passes(summary, options.maxErrorRate);
}

/** Runs the load with the live display on `output` and returns the final summary (no printing of it). */
export async function runLoad(options: LoadgenOptions, output: Output = process.stdout): Promise<Summary> {
  if (options.resolveTo) resolveHostTo(new URL(options.url).hostname, options.resolveTo);
  const auth = await discoverAuthEndpoints(options.url, options.apiKey, options.timeoutMs);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const timer = options.durationS > 0 ? setTimeout(onSignal, options.durationS * 1000) : undefined;
  output.write(
    `loadgen: ${options.users} users against ${options.url}${options.resolveTo ? ` via ${options.resolveTo}` : ''} (${auth.description}), ` +
      `${options.durationS > 0 ? `${options.durationS} s` : 'until Ctrl-C'}${options.iterations ? `, ${options.iterations} visits per user` : ''}\n`,
  );
  const stats = newFlowStats();
  const live = startLiveDisplay(stats, options, output);
  try {
    await runUsers(options, auth, stats, stop.signal);
  } finally {
    clearTimeout(timer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    live.stop();
  }
  return stats.summary();
}
