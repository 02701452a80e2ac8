// One `pnpm bench` run: the stack up, every chosen scenario, the JSON written, the stack down.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { mysqlOptionsFromUrl } from '@testbed/service-kit';
import { signUpUser } from '@testbed/service-kit/testing';
import { readMemory } from './counters.js';
import type { BenchOptions } from './options.js';
import { PERFORMANCE_DOC, REPO_ROOT } from './paths.js';
import { renderReport, replaceGeneratedSection } from './report.js';
import type { BenchRun, ProcessMemory, ScenarioResult } from './results.js';
import { runScenario, type BenchContext } from './scenario.js';
import { SCENARIOS } from './scenarios/index.js';
import { ensureAuthEmulator } from './stack/emulator.js';
import { startStack } from './stack/stack.js';

export interface RunOutput {
  readonly run: BenchRun;
  /** The JSON file written. */
  readonly file: string;
  /** The Markdown tables. */
  readonly report: string;
}

function commitOf(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${commit}+changes` : commit;
  } catch {
    return 'unknown';
  }
}

/** The tables of `run`; with `writeDocs`, also written between the markers of docs/performance.md. */
function publishReport(run: BenchRun, file: string, writeDocs: boolean): string {
  const report = renderReport(run, relative(REPO_ROOT, resolve(file)));
  if (writeDocs) {
    const doc = existsSync(PERFORMANCE_DOC) ? readFileSync(PERFORMANCE_DOC, 'utf8') : '# Performance\n';
    writeFileSync(PERFORMANCE_DOC, replaceGeneratedSection(doc, report));
  }
  return report;
}

/** An earlier run's JSON, rendered again (after the report's code changed, or to put it in the docs). */
export function reportFromFile(file: string, writeDocs: boolean): RunOutput {
  const run = JSON.parse(readFileSync(file, 'utf8')) as BenchRun;
  return { run, file, report: publishReport(run, file, writeDocs) };
}

let interrupt: (() => Promise<void>) | undefined;

/**
 * Stops whatever a run in progress has started (services, baselines, datastores, an emulator it
 * started), for a Ctrl-C or SIGTERM; the run itself then fails. Does nothing when no run is going.
 */
export async function interruptBench(): Promise<void> {
  await interrupt?.();
}

/** Runs the benchmark; `resultsDir` receives `<time>.json`, and the processes' logs when the run fails. */
export async function runBench(options: BenchOptions, io: { resultsDir: string; log: (line: string) => void }): Promise<RunOutput> {
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const logDir = join(io.resultsDir, 'logs', stamp);
  mkdirSync(logDir, { recursive: true });
  const machine = { nproc: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, loadAverage: loadavg() };
  const emulatorHost = process.env['FIREBASE_AUTH_EMULATOR_HOST'] ?? '127.0.0.1:9099';
  process.env['FIREBASE_AUTH_EMULATOR_HOST'] = emulatorHost;

  const stopEmulator = await ensureAuthEmulator(emulatorHost, join(logDir, 'auth-emulator.log'));
  let stopStack: (() => Promise<void>) | undefined;
  interrupt = async () => {
    await stopStack?.();
    await stopEmulator();
  };
  const stack = await startStack({ build: options.build, emulatorHost, logDir, log: io.log, onStoppable: (stop) => (stopStack = stop) }).catch(
    async (error: unknown) => {
      interrupt = undefined;
      await stopEmulator();
      throw error;
    },
  );
  let succeeded = false;
  const redis = new Redis(stack.datastores.redisUrl, { lazyConnect: false });
  interrupt = async () => {
    // Before its server goes, or it logs every failed reconnect.
    redis.disconnect();
    await stack.stop();
    await stopEmulator();
  };
  const mysql = await createConnection(mysqlOptionsFromUrl(stack.mysqlUrl));
  try {
    const user = await signUpUser({ displayName: 'Bench User' });
    const ctx: BenchContext = { stack, settings: options, idToken: user.idToken, redis, mysql, log: io.log };
    const afterLoad = new Map<string, number>();
    const readAfterLoad = async () => {
      for (const process of stack.measured) {
        const { rssMiB } = await readMemory(process.pid);
        afterLoad.set(process.name, Math.max(afterLoad.get(process.name) ?? 0, rssMiB));
      }
    };
    const chosen = SCENARIOS.filter((scenario) => options.only.length === 0 || options.only.includes(scenario.id));
    const scenarios: ScenarioResult[] = [];
    for (const scenario of chosen) {
      io.log(`${scenario.id}: ${scenario.title}`);
      scenarios.push(await runScenario(scenario, ctx, readAfterLoad));
    }
    const memory: Record<string, ProcessMemory> = {};
    for (const process of stack.measured) {
      const { peakMiB } = await readMemory(process.pid);
      memory[process.name] = { peakMiB, afterLoadMiB: afterLoad.get(process.name) ?? 0 };
    }
    const run: BenchRun = {
      startedAt: startedAt.toISOString(),
      commit: commitOf(),
      machine,
      settings: { rounds: options.rounds, durationS: options.durationS, connections: options.connections, warmupS: options.warmupS, burst: options.burst },
      scenarios,
      memory,
    };
    const file = join(io.resultsDir, `${stamp}.json`);
    writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
    // The services log every request at info, as in production: hundreds of MB that only a failed run needs.
    succeeded = true;
    return { run, file, report: publishReport(run, file, options.writeDocs) };
  } finally {
    interrupt = undefined;
    redis.disconnect();
    await mysql.end().catch(() => undefined);
    await stack.stop();
    await stopEmulator();
    if (succeeded) rmSync(logDir, { recursive: true, force: true });
    else io.log(`the processes' logs are in ${logDir}`);
  }
}
