import { createLogUpdate } from 'log-update';
import { formatLine, formatTable } from './report.js';
import type { FlowStats } from './stats.js';

/** Where the run prints: process.stdout, or anything with `write` (tests); a TTY gets the redrawn display. */
export type Output = { write(text: string): unknown; readonly isTTY?: boolean; readonly rows?: number };

export interface LiveDisplay {
  /** Clears the live region (terminal) so the final summary follows it. */
  stop(): void;
}

const BAR_WIDTH = 30;

function progress(elapsedS: number, durationS: number): string {
  if (durationS === 0) return `${elapsedS.toFixed(0)} s (until Ctrl-C)`;
  const done = Math.min(1, elapsedS / durationS);
  const filled = Math.round(done * BAR_WIDTH);
  return `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${Math.min(elapsedS, durationS).toFixed(0)}/${durationS} s`;
}

/**
 * The live summary. On a terminal: a progress bar and the table of the run so far, redrawn every
 * second in place (log-update). Otherwise (a pipe, a pod's log): one plain line per `intervalS`
 * with the figures of that interval.
 */
export function startLiveDisplay(
  stats: FlowStats,
  options: { durationS: number; intervalS: number; users: number },
  stream: Output = process.stdout,
): LiveDisplay {
  const started = performance.now();
  const elapsedS = () => (performance.now() - started) / 1000;
  // A terminal of unknown height (rows 0, e.g. under `script`) would show log-update nothing: plain lines there.
  if (stream.isTTY && (stream.rows ?? 0) > 0) {
    const update = createLogUpdate(stream as NodeJS.WriteStream);
    const timer = setInterval(() => {
      const summary = stats.summary();
      const recent = stats.takeWindow();
      update(
        `${progress(elapsedS(), options.durationS)}  ${options.users} users, ${recent.total.ratePerS.toFixed(1)} flows/s now, ${summary.total.errors} errors\n${formatTable(summary, { color: true })}`,
      );
    }, 1_000);
    return {
      stop() {
        clearInterval(timer);
        update.clear();
      },
    };
  }
  const timer = setInterval(() => stream.write(`${formatLine(stats.takeWindow(), elapsedS())}\n`), options.intervalS * 1_000);
  return { stop: () => clearInterval(timer) };
}
