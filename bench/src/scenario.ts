// How every scenario runs: the product and its baseline alternately, round after round, each run
// bracketed by the datastores' counters, so that each pair of runs saw the same machine load.
import type { Redis } from 'ioredis';
import type { Connection } from 'mysql2/promise';
import { counterDelta, readCounters, readCpuSeconds } from './counters.js';
import type { Measurement, RoundResult, ScenarioResult } from './results.js';
import type { Stack } from './stack/stack.js';

/** What one run of a target produced, before the datastores' counters are added. */
export interface LoadOutcome {
  readonly requests: number;
  readonly errors: number;
  readonly seconds: number;
  /** Per request, in ms; null where the scenario has no per-request latency. */
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly extra?: Readonly<Record<string, number>>;
}

export interface BenchSettings {
  readonly rounds: number;
  readonly durationS: number;
  readonly connections: number;
  /** Seconds of load on each target before the first round (JIT, pools, caches); 0 = none. */
  readonly warmupS: number;
  /** Events per burst in the event-pipeline scenario. */
  readonly burst: number;
}

export interface BenchContext {
  readonly stack: Stack;
  readonly settings: BenchSettings;
  /** An ID token of a user signed up in the Auth emulator for this run. */
  readonly idToken: string;
  /** Counter readers: a client on the private Redis and a connection of its own on the private MariaDB. */
  readonly redis: Redis;
  readonly mysql: Connection;
  readonly log: (line: string) => void;
}

export interface Target {
  /** What runs, in words, for the report. */
  readonly description: string;
  /** One timed run; `durationS` is the timed length (the warm-up passes a shorter one). */
  run(ctx: BenchContext, durationS: number): Promise<LoadOutcome>;
}

export interface Scenario {
  /** The name `--only` takes. */
  readonly id: string;
  readonly title: string;
  /** Connections (or calls in flight) this scenario uses under the given settings. */
  concurrency(settings: BenchSettings): number;
  /** Data or state the scenario needs before it is timed (seed rows, a cached token). */
  prepare?(ctx: BenchContext): Promise<void>;
  readonly product: Target;
  /** Absent when the figure is judged against a target number instead (the event pipeline). */
  readonly baseline?: Target;
  /** False when a warm-up run would disturb the measurement (the event burst). Default true. */
  readonly warmUp?: boolean;
}

const cpuOf = async (ctx: BenchContext): Promise<Map<string, number>> =>
  new Map(await Promise.all([...ctx.stack.measured, ...ctx.stack.baselines].map(async (p) => [p.name, await readCpuSeconds(p.pid)] as const)));

async function measure(ctx: BenchContext, target: Target, durationS: number): Promise<Measurement> {
  const [before, cpuBefore] = await Promise.all([readCounters(ctx.redis, ctx.mysql), cpuOf(ctx)]);
  const outcome = await target.run(ctx, durationS);
  const [after, cpuAfter] = await Promise.all([readCounters(ctx.redis, ctx.mysql), cpuOf(ctx)]);
  const delta = counterDelta(before, after);
  const cpuSeconds = Object.fromEntries([...cpuAfter].map(([name, seconds]) => [name, seconds - (cpuBefore.get(name) ?? seconds)]));
  return {
    requests: outcome.requests,
    errors: outcome.errors,
    seconds: outcome.seconds,
    throughput: outcome.seconds > 0 ? outcome.requests / outcome.seconds : 0,
    p50Ms: outcome.p50Ms,
    p99Ms: outcome.p99Ms,
    ...delta,
    cpuSeconds,
    ...(outcome.extra ? { extra: outcome.extra } : {}),
  };
}

/**
 * Runs a scenario: prepare, warm each target up, then `rounds` rounds of product and baseline.
 * The order flips every round (product first in odd rounds, baseline first in even ones), so a
 * drift in machine load over a round does not favour one side. `afterRun` is called after every
 * product run (the bench reads the services' memory there).
 */
export async function runScenario(scenario: Scenario, ctx: BenchContext, afterRun: () => Promise<void> = async () => {}): Promise<ScenarioResult> {
  const { settings } = ctx;
  await scenario.prepare?.(ctx);
  if (scenario.warmUp !== false && settings.warmupS > 0) {
    ctx.log(`${scenario.id}: warming up (${settings.warmupS}s each)`);
    await scenario.product.run(ctx, settings.warmupS);
    await scenario.baseline?.run(ctx, settings.warmupS);
  }
  const rounds: RoundResult[] = [];
  for (let round = 0; round < settings.rounds; round++) {
    const runProduct = async () => {
      const measured = await measure(ctx, scenario.product, settings.durationS);
      await afterRun();
      return measured;
    };
    const baseline = scenario.baseline;
    let result: RoundResult;
    if (!baseline) result = { product: await runProduct() };
    else if (round % 2 === 0) {
      const product = await runProduct();
      result = { product, baseline: await measure(ctx, baseline, settings.durationS) };
    } else {
      const base = await measure(ctx, baseline, settings.durationS);
      result = { product: await runProduct(), baseline: base };
    }
    rounds.push(result);
    ctx.log(`${scenario.id}: round ${round + 1}/${settings.rounds}: ${describeRound(result)}`);
  }
  return {
    id: scenario.id,
    title: scenario.title,
    product: scenario.product.description,
    baseline: scenario.baseline?.description ?? null,
    concurrency: scenario.concurrency(settings),
    rounds,
  };
}

function describeRound(round: RoundResult): string {
  const side = (m: Measurement) => `${m.throughput.toFixed(0)}/s p50 ${m.p50Ms?.toFixed(2) ?? '-'} ms, ${m.errors} errors`;
  return round.baseline ? `ours ${side(round.product)}; baseline ${side(round.baseline)}` : `ours ${side(round.product)}`;
}
