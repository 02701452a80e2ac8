import { parseArgs } from 'node:util';
import type { BenchSettings } from './scenario.js';

export interface BenchOptions extends BenchSettings {
  /** Scenario ids to run; empty = all. */
  readonly only: readonly string[];
  /** Compile the services first (`--no-build` skips it). */
  readonly build: boolean;
  /** Replace the generated section of docs/performance.md with this run's tables. */
  readonly writeDocs: boolean;
  /** Render an earlier run's JSON instead of running (with --write-docs: put it in the docs). */
  readonly from?: string;
}

export const USAGE = `pnpm bench [options]
  --rounds N         product/baseline pairs per scenario (default 3)
  --duration S       seconds per timed run (default 10)
  --connections N    concurrent connections / gRPC calls in flight (default 32)
  --warmup S         seconds of load on each side before the first round (default 3; 0 = none)
  --burst N          events per burst in the event-pipeline scenario (default 5000)
  --only ID[,ID]     run only these scenarios (repeatable): public-get, gateway-get, secure-me,
                     verify-token, public-post, events
  --no-build         skip compiling the services (dist/ must be fresh)
  --write-docs       write the tables into docs/performance.md
  --from FILE        run nothing: print (and with --write-docs, write) the tables of an earlier
                     run's JSON from bench/results/
  --help`;

const positiveNumber = (name: string, value: string | undefined, fallback: number, { integer = false, zero = false } = {}): number => {
  if (value === undefined) return fallback;
  const number = Number(value);
  const ok = Number.isFinite(number) && (zero ? number >= 0 : number > 0) && (!integer || Number.isInteger(number));
  if (!ok) throw new Error(`--${name} must be a ${integer ? 'whole ' : ''}number ${zero ? '≥ 0' : '> 0'}, got "${value}"`);
  return number;
};

/** Parses `pnpm bench` arguments; throws an Error with a readable message on a bad one. Returns null for --help. */
export function parseBenchArgs(args: readonly string[], scenarioIds: readonly string[]): BenchOptions | null {
  const { values } = parseArgs({
    args: [...args],
    options: {
      rounds: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      warmup: { type: 'string' },
      burst: { type: 'string' },
      only: { type: 'string', multiple: true },
      'no-build': { type: 'boolean', default: false },
      'write-docs': { type: 'boolean', default: false },
      from: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return null;
  const only = (values.only ?? [])
    .flatMap((value) => value.split(','))
    .map((id) => id.trim())
    .filter(Boolean);
  const unknown = only.filter((id) => !scenarioIds.includes(id));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${scenarioIds.join(', ')}`);
  return {
    rounds: positiveNumber('rounds', values.rounds, 3, { integer: true }),
    durationS: positiveNumber('duration', values.duration, 10),
    connections: positiveNumber('connections', values.connections, 32, { integer: true }),
    warmupS: positiveNumber('warmup', values.warmup, 3, { zero: true }),
    burst: positiveNumber('burst', values.burst, 5000, { integer: true }),
    only,
    build: !values['no-build'],
    writeDocs: values['write-docs'],
    ...(values.from ? { from: values.from } : {}),
  };
}
