import { describe, expect, it } from 'vitest';
import { FlowStats } from './stats.js';

function clock(startMs = 0) {
  let now = startMs;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('FlowStats', () => {
  it('when 100 flows take 1..100 ms, then p50 and p99 are those ranks (within the histogram precision)', () => {
    const time = clock();
    const stats = new FlowStats(['browse'], time.now);
    for (let ms = 1; ms <= 100; ms += 1) stats.recordSuccess('browse', ms);
    time.advance(10_000);
    const [browse] = stats.summary().flows;
    expect(browse).toMatchObject({ flow: 'browse', ok: 100, errors: 0, ratePerS: 10 });
    expect(browse?.p50Ms).toBeCloseTo(50, 1);
    expect(browse?.p99Ms).toBeCloseTo(99, 1);
    expect(browse?.maxMs).toBeCloseTo(100, 1);
  });

  it('when sub-millisecond and very long flows are recorded, then they keep their value or are clamped', () => {
    const stats = new FlowStats(['x'], clock().now);
    stats.recordSuccess('x', 0.25);
    stats.recordSuccess('x', 10 * 3_600_000);
    const [x] = stats.summary().flows;
    expect(x?.p50Ms).toBeCloseTo(0.25, 3);
    expect(x?.maxMs).toBeCloseTo(600_000, -3);
  });

  it('when flows fail, then errors count in the rate and the error rate but not in the latencies', () => {
    const time = clock();
    const stats = new FlowStats(['a', 'b'], time.now);
    stats.recordSuccess('a', 10);
    stats.recordSuccess('a', 10);
    stats.recordSuccess('a', 10);
    stats.recordError('b', 'GET /x → 503');
    time.advance(2_000);
    const summary = stats.summary();
    expect(summary.total).toEqual({ ok: 3, errors: 1, ratePerS: 2, errorRate: 0.25 });
    expect(summary.flows[1]).toMatchObject({ flow: 'b', ok: 0, errors: 1, p50Ms: null, p99Ms: null });
  });

  it('when nothing ran, then the error rate is 0 and the rows are the flows in the given order', () => {
    const summary = new FlowStats(['z', 'a'], clock().now).summary();
    expect(summary.flows.map((f) => f.flow)).toEqual(['z', 'a']);
    expect(summary.total.errorRate).toBe(0);
  });

  it('when a window is taken, then it holds only what happened since the previous one, and the total keeps everything', () => {
    const time = clock();
    const stats = new FlowStats(['a'], time.now);
    stats.recordSuccess('a', 5);
    time.advance(1_000);
    expect(stats.takeWindow().total).toMatchObject({ ok: 1, ratePerS: 1 });
    stats.recordSuccess('a', 7);
    stats.recordSuccess('a', 7);
    time.advance(500);
    const window = stats.takeWindow();
    expect(window.total).toMatchObject({ ok: 2, ratePerS: 4 });
    expect(window.elapsedS).toBe(0.5);
    expect(window.flows[0]?.p50Ms).toBeCloseTo(7, 2);
    expect(stats.summary().total.ok).toBe(3);
  });

  it('when the same error repeats, then the summary counts it once with its number, commonest first', () => {
    const stats = new FlowStats(['a'], clock().now);
    stats.recordError('a', 'rare');
    for (let i = 0; i < 3; i += 1) stats.recordError('a', 'common');
    expect(stats.summary().topErrors).toEqual([
      { message: 'a: common', count: 3 },
      { message: 'a: rare', count: 1 },
    ]);
  });
});
