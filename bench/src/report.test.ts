import { describe, expect, it } from 'vitest';
import { checkTargets, renderReport, replaceGeneratedSection, scenarioFigures, SECTION_END, SECTION_START } from './report.js';
import type { BenchRun, Measurement, ScenarioResult } from './results.js';

const measurement = (throughput: number, overrides: Partial<Measurement> = {}): Measurement => ({
  requests: throughput * 10,
  errors: 0,
  seconds: 10,
  throughput,
  p50Ms: 1,
  p99Ms: 3,
  redisCommands: 0,
  sqlStatements: throughput * 10,
  sqlWrites: 0,
  ...overrides,
});

const paired = (id: string, ours: number[], base: number[], extra: Partial<Measurement> = {}, baseExtra: Partial<Measurement> = {}): ScenarioResult => ({
  id,
  title: id,
  product: 'ours',
  baseline: 'base',
  concurrency: 32,
  rounds: ours.map((value, i) => ({ product: measurement(value, extra), baseline: measurement(base[i] ?? 0, baseExtra) })),
});

const run = (scenarios: ScenarioResult[], memory: BenchRun['memory'] = {}): BenchRun => ({
  startedAt: '2026-12-01T06:00:00.000Z',
  commit: 'abc1234',
  machine: { nproc: 2, cpuModel: 'Test CPU', node: 'v20.20.2', loadAverage: [1, 2, 3] },
  settings: { rounds: 3, durationS: 10, connections: 32, warmupS: 3, burst: 5000 },
  scenarios,
  memory,
});

const verdictOf = (bench: BenchRun, target: RegExp) => checkTargets(bench).find((check) => target.test(check.target));

describe('scenarioFigures', () => {
  it('when a scenario has three paired rounds, then throughput, ratio and per-request counters are medians over them', () => {
    const figures = scenarioFigures(paired('public-get', [500, 600, 700], [1000, 1000, 1000], { redisCommands: 2000 }));
    expect(figures.throughput.median).toBe(600);
    expect(figures.ratio?.median).toBeCloseTo(0.6);
    expect(figures.sqlPerRequest.median).toBe(1);
    // 2000 commands over 5000, 6000 and 7000 requests: 0.4, 0.33, 0.29.
    expect(figures.redisPerRequest.median).toBeCloseTo(2000 / 6000);
  });

  it('when a scenario has no baseline, then the ratio and latency differences are absent', () => {
    const events: ScenarioResult = {
      id: 'events',
      title: 'events',
      product: 'ours',
      baseline: null,
      concurrency: 100,
      rounds: [{ product: measurement(900, { p50Ms: null, p99Ms: null }) }],
    };
    const figures = scenarioFigures(events);
    expect(figures.ratio).toBeNull();
    expect(figures.p50DeltaMs).toBeNull();
    expect(figures.p50Ms).toBeNull();
  });
});

describe('checkTargets', () => {
  it('when public GET reaches 0.6 of its baseline, then that target is met, and below it missed', () => {
    expect(verdictOf(run([paired('public-get', [600], [1000])]), /public GET/)?.met).toBe(true);
    expect(verdictOf(run([paired('public-get', [590], [1000])]), /public GET/)?.met).toBe(false);
  });

  it('when the gateway keeps 70% of direct throughput, then it costs 30% and the 25% target is missed', () => {
    const check = verdictOf(run([paired('gateway-get', [700], [1000])]), /gateway/);
    expect(check).toMatchObject({ measured: 'costs 30%', met: false });
  });

  it('when secure GET adds 0.8 ms p50 and 2.5 ms p99 without writing, then the auth targets are met', () => {
    const bench = run([paired('secure-me', [100], [200], { p50Ms: 1.8, p99Ms: 5.5 }, { p50Ms: 1, p99Ms: 3 })]);
    expect(verdictOf(bench, /p50/)).toMatchObject({ measured: '0.80 ms', met: true, unanimous: true });
    expect(verdictOf(bench, /p99/)?.met).toBe(true);
    expect(verdictOf(bench, /no SQL write/)?.met).toBe(true);
  });

  it('when GET /me writes once per request, then the no-write target is missed', () => {
    const bench = run([paired('secure-me', [100], [200], { sqlWrites: 1000 })]);
    expect(verdictOf(bench, /no SQL write/)).toMatchObject({ measured: '1.00 writes/request', met: false });
  });

  it('when VerifyToken makes 3 Redis commands per call, then the one-round-trip target is missed', () => {
    const bench = run([paired('verify-token', [1000], [1500], { redisCommands: 30_000 })]);
    expect(verdictOf(bench, /Redis round trip/)).toMatchObject({ met: false });
    expect(verdictOf(bench, /VerifyToken ≥ 0.5/)).toMatchObject({ measured: '0.67', met: true });
  });

  it('when the median meets a target but one round does not, then the range shows it and the check is not unanimous', () => {
    const check = verdictOf(run([paired('public-get', [340, 610, 4800], [1000, 1000, 1000])]), /public GET/);
    expect(check).toMatchObject({ measured: '0.61 (rounds 0.34 – 4.80)', met: true, unanimous: false });
  });

  it('when a service peaks above 100 MiB, then the memory target names it and is missed', () => {
    const bench = run([], { 'public-api': { peakMiB: 180, afterLoadMiB: 170 }, 'secure-api': { peakMiB: 90, afterLoadMiB: 80 } });
    expect(verdictOf(bench, /MiB/)).toMatchObject({ measured: 'largest peak: public-api 180 MiB', met: false });
  });

  it('when a scenario was not run, then its targets are neither met nor missed', () => {
    const checks = checkTargets(run([]));
    expect(checks.every((check) => check.met === null)).toBe(true);
    expect(checks).toHaveLength(9);
  });
});

describe('renderReport', () => {
  it('when rendered, then there is one table row per scenario, the machine line and every target with its verdict', () => {
    const markdown = renderReport(run([paired('public-get', [600, 500, 700], [1000, 1000, 1000])]), 'bench/results/x.json');
    expect(markdown).toContain('2 cores (Test CPU), Node v20.20.2');
    expect(markdown).toContain('`bench/results/x.json`');
    expect(markdown).toMatch(/\| public-get \(public-get, 32 conn\.\) \| ours \| base \| 600 ±17% \| 1000 ±0% \| 0\.60 ±17% \|/);
    expect(markdown).toContain('| public GET direct ≥ 0.6 of its baseline | 0.60 (rounds 0.50 – 0.70) | met (not in every round) |');
    expect(markdown).toContain('| events ≥ 5,000/s end to end | not measured in this run | – |');
  });
});

describe('CPU per request', () => {
  it('when the product side used CPU, then it is shown per request in microseconds for each process', () => {
    const scenario = paired(
      'public-get',
      [100],
      [200],
      { cpuSeconds: { 'public-api': 0.8, gateway: 0.1, 'http-baseline': 0 } },
      { cpuSeconds: { 'public-api': 0, gateway: 0, 'http-baseline': 0.4 } },
    );
    // 0.8 s over 1000 requests = 800 µs each (900 with the gateway's); the baseline's 0.4 s over 2000 = 200 µs.
    const figures = scenarioFigures(scenario);
    expect(figures.cpuMicrosPerRequest['public-api']?.median).toBeCloseTo(800);
    expect(figures.cpuEfficiency?.median).toBeCloseTo(200 / 900);
    const markdown = renderReport(run([scenario]), 'x.json');
    // The baseline's process did nothing on the product side: no column of zeros for it.
    expect(markdown).toContain('| Scenario | public-api | gateway | all servers, ours / baseline | baseline / ours |');
    expect(markdown).toContain('| public-get | 800 | 100 | 900 / 200 | 0.22 ±0% |');
  });
});

describe('replaceGeneratedSection', () => {
  it('when the document has the markers, then only the text between them changes', () => {
    const doc = `# Performance\n\nintro\n\n${SECTION_START}\nold\n${SECTION_END}\n\n## Before\nkept\n`;
    const updated = replaceGeneratedSection(doc, 'new');
    expect(updated).toBe(`# Performance\n\nintro\n\n${SECTION_START}\nnew\n${SECTION_END}\n\n## Before\nkept\n`);
  });

  it('when the document has no markers, then the section is appended with them', () => {
    expect(replaceGeneratedSection('# Performance\n', 'new')).toBe(`# Performance\n\n${SECTION_START}\nnew\n${SECTION_END}\n`);
  });
});
