// Turns one run's JSON into the tables of docs/performance.md, and judges the issue's targets.
import { pairedDifferences, pairedRatios, perRequest, summarise, type Summary } from './statistics.js';
import type { BenchRun, Measurement, ScenarioResult } from './results.js';

export const SECTION_START = '<!-- bench:generated:start -->';
export const SECTION_END = '<!-- bench:generated:end -->';

/** One target of issue 11 and what this run measured for it; `met` is null when the run did not measure it. */
export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean | null;
  /** False when some round fell on the other side of the target than the median did. */
  readonly unanimous: boolean;
}

const MAX_RSS_MIB = 100;

const fixed = (value: number, digits: number) => value.toFixed(digits);
const spread = (summary: Summary) => `±${Math.round((summary.spread * 100) / 2)}%`;
const withSpread = (summary: Summary, digits: number) => `${fixed(summary.median, digits)} ${spread(summary)}`;

const sideOf = (scenario: ScenarioResult, side: 'product' | 'baseline'): Measurement[] =>
  scenario.rounds.flatMap((round) => (round[side] ? [round[side]] : []));

const figure = (measurements: readonly Measurement[], pick: (m: Measurement) => number | null): Summary | null => {
  const values = measurements.map(pick).filter((v): v is number => v !== null);
  return values.length === 0 ? null : summarise(values);
};

/** Medians (and spreads) of one scenario's figures over its rounds. */
export interface ScenarioFigures {
  readonly throughput: Summary;
  readonly baselineThroughput: Summary | null;
  /** ours / baseline, per round. */
  readonly ratio: Summary | null;
  readonly p50Ms: Summary | null;
  readonly p99Ms: Summary | null;
  readonly baselineP50Ms: Summary | null;
  readonly baselineP99Ms: Summary | null;
  /** ours - baseline, per round, in ms. */
  readonly p50DeltaMs: Summary | null;
  readonly p99DeltaMs: Summary | null;
  readonly redisPerRequest: Summary;
  readonly sqlPerRequest: Summary;
  readonly sqlWritesPerRequest: Summary;
  readonly baselineSqlPerRequest: Summary | null;
  readonly errors: number;
  /** CPU microseconds each process spent per request (or event) on the product side, by process name. */
  readonly cpuMicrosPerRequest: Readonly<Record<string, Summary>>;
  /** All server processes' CPU per request, summed, on each side; and baseline / ours per round (1 = as cheap as the baseline). */
  readonly serverCpuMicros: Summary | null;
  readonly baselineServerCpuMicros: Summary | null;
  readonly cpuEfficiency: Summary | null;
}

const serverCpuMicros = (m: Measurement): number => perRequest(Object.values(m.cpuSeconds ?? {}).reduce((sum, seconds) => sum + seconds, 0) * 1e6, m.requests);

function cpuPerRequest(measurements: readonly Measurement[]): Record<string, Summary> {
  const names = [...new Set(measurements.flatMap((m) => Object.keys(m.cpuSeconds ?? {})))];
  return Object.fromEntries(names.map((name) => [name, summarise(measurements.map((m) => perRequest((m.cpuSeconds?.[name] ?? 0) * 1e6, m.requests)))]));
}

export function scenarioFigures(scenario: ScenarioResult): ScenarioFigures {
  const ours = sideOf(scenario, 'product');
  const base = sideOf(scenario, 'baseline');
  const hasBaseline = base.length === ours.length && base.length > 0;
  const latency = (side: readonly Measurement[], key: 'p50Ms' | 'p99Ms') => figure(side, (m) => m[key]);
  const latencyDelta = (key: 'p50Ms' | 'p99Ms') => {
    if (!hasBaseline || ours.some((m) => m[key] === null)) return null;
    return pairedDifferences(
      ours.map((m) => m[key] ?? 0),
      base.map((m) => m[key] ?? 0),
    );
  };
  return {
    throughput: summarise(ours.map((m) => m.throughput)),
    baselineThroughput: hasBaseline ? summarise(base.map((m) => m.throughput)) : null,
    ratio: hasBaseline
      ? pairedRatios(
          ours.map((m) => m.throughput),
          base.map((m) => m.throughput),
        )
      : null,
    p50Ms: latency(ours, 'p50Ms'),
    p99Ms: latency(ours, 'p99Ms'),
    baselineP50Ms: hasBaseline ? latency(base, 'p50Ms') : null,
    baselineP99Ms: hasBaseline ? latency(base, 'p99Ms') : null,
    p50DeltaMs: latencyDelta('p50Ms'),
    p99DeltaMs: latencyDelta('p99Ms'),
    redisPerRequest: summarise(ours.map((m) => perRequest(m.redisCommands, m.requests))),
    sqlPerRequest: summarise(ours.map((m) => perRequest(m.sqlStatements, m.requests))),
    sqlWritesPerRequest: summarise(ours.map((m) => perRequest(m.sqlWrites, m.requests))),
    baselineSqlPerRequest: hasBaseline ? summarise(base.map((m) => perRequest(m.sqlStatements, m.requests))) : null,
    errors: [...ours, ...base].reduce((sum, m) => sum + m.errors, 0),
    cpuMicrosPerRequest: cpuPerRequest(ours),
    ...cpuTotals(ours, hasBaseline ? base : null),
  };
}

function cpuTotals(ours: readonly Measurement[], base: readonly Measurement[] | null) {
  if (!ours.every((m) => m.cpuSeconds)) return { serverCpuMicros: null, baselineServerCpuMicros: null, cpuEfficiency: null };
  const oursCpu = ours.map(serverCpuMicros);
  const baseCpu = base?.every((m) => m.cpuSeconds) ? base.map(serverCpuMicros) : null;
  return {
    serverCpuMicros: summarise(oursCpu),
    baselineServerCpuMicros: baseCpu ? summarise(baseCpu) : null,
    // baseline / ours: the same orientation as the throughput ratio (a CPU-bound server's throughput scales with it).
    cpuEfficiency: baseCpu ? pairedRatios(baseCpu, oursCpu) : null,
  };
}

/**
 * A target judged on the median over the rounds; `measured` also shows the rounds' range, and
 * `unanimous` is false when some round fell on the other side of the target than the median.
 */
function judge(target: string, summary: Summary, ok: (value: number) => boolean, digits: number, label: { prefix?: string; unit?: string } = {}): TargetCheck {
  const met = ok(summary.median);
  const [low, mid, high] = [summary.min, summary.median, summary.max].map((value) => fixed(value, digits));
  const unit = label.unit ?? '';
  const range = low === high ? '' : ` (rounds ${low} – ${high}${unit})`;
  return { target, measured: `${label.prefix ?? ''}${mid}${unit}${range}`, met, unanimous: summary.samples.every((value) => ok(value) === met) };
}

/** Every target of issue 11, judged on this run's medians. */
export function checkTargets(run: BenchRun): TargetCheck[] {
  const figures = new Map(run.scenarios.map((s) => [s.id, scenarioFigures(s)]));
  const checks: TargetCheck[] = [];
  const at = (id: string) => figures.get(id);
  const missing = (target: string): TargetCheck => ({ target, measured: 'not measured in this run', met: null, unanimous: true });

  const publicGet = at('public-get')?.ratio;
  const ratioTarget = 'public GET direct ≥ 0.6 of its baseline';
  checks.push(publicGet ? judge(ratioTarget, publicGet, (v) => v >= 0.6, 2) : missing(ratioTarget));
  const gateway = at('gateway-get')?.ratio;
  const gatewayTarget = 'dev gateway costs ≤ 25% of direct throughput';
  // What the gateway costs = the share of direct throughput it loses, per round.
  const cost = gateway && summarise(gateway.samples.map((ratio) => (1 - ratio) * 100));
  checks.push(cost ? judge(gatewayTarget, cost, (v) => v <= 25, 0, { prefix: 'costs ', unit: '%' }) : missing(gatewayTarget));
  const secure = at('secure-me');
  const p50Target = 'auth overhead (secure GET − public GET) ≤ 1 ms p50';
  const p99Target = 'auth overhead ≤ 3 ms p99';
  const writeTarget = 'no SQL write on a read (GET /api/secure/me)';
  checks.push(secure?.p50DeltaMs ? judge(p50Target, secure.p50DeltaMs, (v) => v <= 1, 2, { unit: ' ms' }) : missing(p50Target));
  checks.push(secure?.p99DeltaMs ? judge(p99Target, secure.p99DeltaMs, (v) => v <= 3, 2, { unit: ' ms' }) : missing(p99Target));
  checks.push(secure ? judge(writeTarget, secure.sqlWritesPerRequest, (v) => v < 0.01, 2, { unit: ' writes/request' }) : missing(writeTarget));
  const verify = at('verify-token');
  const redisTarget = 'at most one Redis round trip per cached verification';
  checks.push(verify ? judge(redisTarget, verify.redisPerRequest, (v) => v <= 1.01, 2, { unit: ' commands/VerifyToken' }) : missing(redisTarget));
  const verifyTarget = 'VerifyToken ≥ 0.5 of the bare grpc-js baseline';
  checks.push(verify?.ratio ? judge(verifyTarget, verify.ratio, (v) => v >= 0.5, 2) : missing(verifyTarget));
  const events = at('events');
  const eventsTarget = 'events ≥ 5,000/s end to end';
  checks.push(events ? judge(eventsTarget, events.throughput, (v) => v >= 5000, 0, { unit: '/s' }) : missing(eventsTarget));
  const memoryTarget = `every service ≤ ${MAX_RSS_MIB} MiB RSS under load`;
  const memory = Object.entries(run.memory);
  if (memory.length === 0) checks.push(missing(memoryTarget));
  else {
    const [name, worst] = memory.reduce((a, b) => (b[1].peakMiB > a[1].peakMiB ? b : a));
    checks.push({ target: memoryTarget, measured: `largest peak: ${name} ${fixed(worst.peakMiB, 0)} MiB`, met: worst.peakMiB <= MAX_RSS_MIB, unanimous: true });
  }
  return checks;
}

const verdict = (check: TargetCheck) => (check.met === null ? '–' : `${check.met ? 'met' : 'missed'}${check.unanimous ? '' : ' (not in every round)'}`);
const optional = (summary: Summary | null, digits: number) => (summary ? withSpread(summary, digits) : '–');
const pair = (ours: Summary | null, base: Summary | null, digits: number) =>
  `${ours ? fixed(ours.median, digits) : '–'} / ${base ? fixed(base.median, digits) : '–'}`;

/** The Markdown the command writes between the markers in docs/performance.md. */
export function renderReport(run: BenchRun, resultFile: string): string {
  const s = run.settings;
  const lines = [
    `Run of ${run.startedAt} on commit \`${run.commit}\`: ${run.machine.nproc} cores (${run.machine.cpuModel}), Node ${run.machine.node}, ` +
      `load average at start ${run.machine.loadAverage.map((l) => l.toFixed(2)).join(' / ')}. ` +
      `${s.rounds} rounds of ${s.durationS} s per side, ${s.connections} connections, ${s.warmupS} s warm-up, bursts of ${s.burst} events. ` +
      `Raw figures: \`${resultFile}\`.`,
    '',
    'Medians over the rounds, ± half the range as a share of the median. Ratio = ours / baseline, per round (the two ran back to back). ' +
      "Redis and SQL figures are the servers' own counters (INFO commandstats, SHOW GLOBAL STATUS `Questions` and `Com_*` writes) divided by the requests.",
    '',
    '| Scenario | Ours | Baseline | Ours req/s | Baseline req/s | Ratio | p50 ms ours / base | p99 ms ours / base | Redis cmd/req | SQL stmt/req ours (base) | SQL writes/req | Errors |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const scenario of run.scenarios) {
    const f = scenarioFigures(scenario);
    lines.push(
      [
        `${scenario.title} (${scenario.id}, ${scenario.id === 'events' ? `${scenario.concurrency} events` : `${scenario.concurrency} conn.`})`,
        scenario.product,
        scenario.baseline ?? 'target figure',
        withSpread(f.throughput, 0),
        optional(f.baselineThroughput, 0),
        optional(f.ratio, 2),
        pair(f.p50Ms, f.baselineP50Ms, 2),
        pair(f.p99Ms, f.baselineP99Ms, 2),
        fixed(f.redisPerRequest.median, 2),
        `${fixed(f.sqlPerRequest.median, 2)} (${f.baselineSqlPerRequest ? fixed(f.baselineSqlPerRequest.median, 2) : '–'})`,
        fixed(f.sqlWritesPerRequest.median, 2),
        String(f.errors),
      ]
        .join(' | ')
        .replace(/^/, '| ')
        .concat(' |'),
    );
  }
  const events = run.scenarios.find((scenario) => scenario.id === 'events');
  if (events) {
    const writes = summarise(events.rounds.map((r) => r.product.extra?.['writesPerS'] ?? 0));
    const drain = summarise(events.rounds.map((r) => r.product.extra?.['drainAfterWritesS'] ?? 0));
    lines.push(
      '',
      `Event pipeline: the posts themselves went in at ${withSpread(writes, 0)} /s; the last event was applied ${fixed(drain.median, 2)} s after the last post was answered.`,
    );
  }
  const secure = run.scenarios.find((scenario) => scenario.id === 'secure-me');
  if (secure) {
    const f = scenarioFigures(secure);
    lines.push(
      '',
      `Auth overhead at one connection (secure GET /me − public GET, per round): p50 ${optional(f.p50DeltaMs, 2)} ms, p99 ${optional(f.p99DeltaMs, 2)} ms.`,
    );
  }
  // Processes that did some work on the product side somewhere (the baselines' own columns would be all zeros).
  const processes = [
    ...new Set(
      run.scenarios.flatMap((scenario) =>
        Object.entries(scenarioFigures(scenario).cpuMicrosPerRequest).flatMap(([name, summary]) => (summary.median >= 1 ? [name] : [])),
      ),
    ),
  ];
  if (processes.length > 0) {
    lines.push(
      '',
      'CPU each process spent per request (per event for `events`), in µs, product side, median over the rounds (from /proc/PID/stat, 10 ms ticks); ' +
        "then all server processes together on each side, and baseline CPU / ours per round. CPU per request moves much less with the machine's load than throughput does.",
      '',
      `| Scenario | ${processes.join(' | ')} | all servers, ours / baseline | baseline / ours |`,
      `| --- |${processes.map(() => ' ---: |').join('')} ---: | ---: |`,
    );
    for (const scenario of run.scenarios) {
      const f = scenarioFigures(scenario);
      const byProcess = f.cpuMicrosPerRequest;
      lines.push(
        `| ${scenario.id} | ${processes.map((name) => (byProcess[name] ? fixed(byProcess[name].median, 0) : '–')).join(' | ')} | ` +
          `${pair(f.serverCpuMicros, f.baselineServerCpuMicros, 0)} | ${optional(f.cpuEfficiency, 2)} |`,
      );
    }
  }
  lines.push('', '| Target (issue 11) | Measured | Verdict |', '| --- | --- | --- |');
  for (const check of checkTargets(run)) lines.push(`| ${check.target} | ${check.measured} | ${verdict(check)} |`);
  if (Object.keys(run.memory).length > 0) {
    lines.push('', '| Process | Peak RSS (VmHWM), MiB | RSS after the heaviest load (VmRSS), MiB |', '| --- | ---: | ---: |');
    for (const [name, memory] of Object.entries(run.memory)) lines.push(`| ${name} | ${fixed(memory.peakMiB, 0)} | ${fixed(memory.afterLoadMiB, 0)} |`);
  }
  return lines.join('\n');
}

/** `doc` with the text between the markers replaced by `section`; the markers are appended when missing. */
export function replaceGeneratedSection(doc: string, section: string): string {
  const block = `${SECTION_START}\n${section}\n${SECTION_END}`;
  const start = doc.indexOf(SECTION_START);
  const end = doc.indexOf(SECTION_END);
  if (start === -1 || end === -1 || end < start) return `${doc.trimEnd()}\n\n${block}\n`;
  return doc.slice(0, start) + block + doc.slice(end + SECTION_END.length);
}
