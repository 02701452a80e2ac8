import { describe, expect, it } from 'vitest';
import { formatFinal, formatLine, formatTable, passes } from './report.js';
import { FlowStats } from './stats.js';

function summaryOf(ok: number, errors: number) {
  let now = 0;
  const stats = new FlowStats(['browse-board', 'sign-up'], () => now);
  for (let i = 0; i < ok; i += 1) stats.recordSuccess('browse-board', 12);
  for (let i = 0; i < errors; i += 1) stats.recordError('sign-up', 'POST /x → 500');
  now = 10_000;
  return stats.summary();
}

describe('report', () => {
  it('when formatted as a table, then each flow has a row with its counts and latencies, and a total row', () => {
    const table = formatTable(summaryOf(99, 1));
    expect(table).toMatch(/browse-board\s*│\s*99\s*│\s*0\s*│\s*9\.9\s*│\s*12\s*│\s*12\s*│\s*12/);
    expect(table).toMatch(/sign-up\s*│\s*0\s*│\s*1\s*│\s*0\.1\s*│\s*-\s*│\s*-\s*│\s*-/);
    expect(table).toMatch(/total\s*│\s*99\s*│\s*1\s*│\s*10\.0/);
  });

  it('when formatted as a line, then it has the rate, the errors and only the flows that ran', () => {
    const line = formatLine(summaryOf(5, 0), 10);
    expect(line).toBe('[10s] 0.5 flows/s, 0 errors (0.0%) | browse-board 5 p50=12 p99=12');
  });

  it('when the final summary is printed, then it states the error rate against the threshold and the commonest errors', () => {
    const text = formatFinal(summaryOf(99, 1), 0.01);
    expect(text).toContain('100 flows, 10.0/s, error rate 1.0% (max 1.0%)');
    expect(text).toContain('1 × sign-up: POST /x → 500');
  });

  it('when the error rate is at the threshold, then the run passes; above it or with nothing run, it fails', () => {
    expect(passes(summaryOf(99, 1), 0.01)).toBe(true);
    expect(passes(summaryOf(98, 2), 0.01)).toBe(false);
    expect(passes(summaryOf(0, 0), 0.01)).toBe(false);
  });
});
