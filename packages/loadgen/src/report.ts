import Table from 'cli-table3';
import type { Summary } from './stats.js';

const ms = (value: number | null) => (value === null ? '-' : value < 10 ? value.toFixed(1) : value.toFixed(0));
const percent = (fraction: number) => `${(fraction * 100).toFixed(fraction > 0 && fraction < 0.001 ? 3 : 1)}%`;

/** A table of every flow: finished flows, errors, rate and p50/p99/max latency in milliseconds. */
export function formatTable(summary: Summary, options: { color?: boolean } = {}): string {
  const table = new Table({
    head: ['flow', 'ok', 'errors', 'rate/s', 'p50 ms', 'p99 ms', 'max ms'],
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    style: options.color ? {} : { head: [], border: [] },
    // No rule between rows: the table is redrawn every second and should stay short.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const flow of summary.flows) {
    table.push([flow.flow, flow.ok, flow.errors, flow.ratePerS.toFixed(1), ms(flow.p50Ms), ms(flow.p99Ms), ms(flow.maxMs)]);
  }
  const { total } = summary;
  table.push(['total', total.ok, total.errors, total.ratePerS.toFixed(1), '', '', '']);
  return table.toString();
}

/** One line for logs (stdout that is not a terminal, e.g. a pod's): totals and p50/p99 per flow. */
export function formatLine(summary: Summary, runElapsedS: number): string {
  const perFlow = summary.flows
    .filter((flow) => flow.ok + flow.errors > 0)
    .map((flow) => `${flow.flow} ${flow.ok + flow.errors}${flow.errors ? ` (${flow.errors} err)` : ''} p50=${ms(flow.p50Ms)} p99=${ms(flow.p99Ms)}`)
    .join('; ');
  const { total } = summary;
  return `[${runElapsedS.toFixed(0)}s] ${total.ratePerS.toFixed(1)} flows/s, ${total.errors} errors (${percent(total.errorRate)})${perFlow ? ` | ${perFlow}` : ''}`;
}

/** The final report: the table, the error rate against the threshold and the commonest errors. */
export function formatFinal(summary: Summary, maxErrorRate: number, options: { color?: boolean } = {}): string {
  const { total } = summary;
  const lines = [
    `Summary after ${summary.elapsedS.toFixed(1)} s: ${total.ok + total.errors} flows, ${total.ratePerS.toFixed(1)}/s, error rate ${percent(total.errorRate)} (max ${percent(maxErrorRate)})`,
    formatTable(summary, options),
  ];
  if (summary.topErrors.length > 0) {
    lines.push('Most frequent errors:', ...summary.topErrors.map(({ message, count }) => `  ${count} × ${message}`));
  }
  return lines.join('\n');
}

/** True when the run passes: some flow finished and the error rate is at most `maxErrorRate`. */
export function passes(summary: Summary, maxErrorRate: number): boolean {
  return summary.total.ok + summary.total.errors > 0 && summary.total.errorRate <= maxErrorRate;
}
