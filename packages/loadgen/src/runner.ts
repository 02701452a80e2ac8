import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LoadgenOptions } from './args.js';
import type { AuthEndpoints } from './auth-endpoints.js';
import { FLOWS, journey, type Flow, type FlowContext } from './flows/index.js';
import { UserSession } from './session.js';
import { createSessionClient } from './session-client.js';
import { FlowStats } from './stats.js';

export type RunOptions = Pick<LoadgenOptions, 'url' | 'users' | 'iterations' | 'thinkTimeMs' | 'timeoutMs'>;

/** A new FlowStats with a row for every flow, in the summary's order. */
export const newFlowStats = (): FlowStats => new FlowStats(FLOWS.map((flow) => flow.name));

/**
 * Runs `users` virtual users, each making journeys (flows/index.ts) with think time between steps,
 * until `signal` aborts or every user has made `iterations` journeys (0: no limit). Every finished
 * flow is recorded in `stats`. Resolves when every user has stopped; a flow in progress when the
 * signal aborts finishes first (each request is bounded by `timeoutMs`).
 */
export async function runUsers(options: RunOptions, auth: AuthEndpoints, stats: FlowStats, signal: AbortSignal): Promise<void> {
  const getSession = createSessionClient(options.url, options.timeoutMs);
  // Every user's pause listens to the one stop signal: that is N listeners by design, not a leak.
  setMaxListeners(options.users + 10, signal);
  const pause = async (meanMs: number) => {
    if (meanMs <= 0 || signal.aborted) return;
    await sleep(meanMs * (0.5 + Math.random()), undefined, { signal }).catch(() => undefined);
  };
  const runUser = async () => {
    const context: FlowContext = {
      baseUrl: options.url,
      timeoutMs: options.timeoutMs,
      user: new UserSession(auth, options.timeoutMs),
      getSession,
      random: Math.random,
    };
    // Users arrive spread over one think time rather than all in the same millisecond.
    await pause(options.thinkTimeMs / 2);
    for (let visit = 0; !signal.aborted && (options.iterations === 0 || visit < options.iterations); visit += 1) {
      for (const flow of journey(context.user.hasAccount)) {
        if (signal.aborted) break;
        const ok = await runFlow(flow, context, stats);
        // A visit whose sign-up or sign-in failed ends there: the rest needs a signed-in user.
        if (!ok && flow.startsSession) break;
        await pause(options.thinkTimeMs);
      }
      context.user.signOut();
    }
  };
  await Promise.all(Array.from({ length: options.users }, runUser));
}

async function runFlow(flow: Flow, context: FlowContext, stats: FlowStats): Promise<boolean> {
  const started = performance.now();
  try {
    await flow.run(context);
    stats.recordSuccess(flow.name, performance.now() - started);
    return true;
  } catch (error) {
    stats.recordError(flow.name, error instanceof Error ? error.message : String(error));
    return false;
  }
}
