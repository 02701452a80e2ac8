import { max, median, min } from 'simple-statistics';

/** The median of repeated measurements and how far they spread around it. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** (max - min) / median: 0.1 means the rounds spread over 10% of the median; 0 when the median is 0. */
  readonly spread: number;
  readonly samples: readonly number[];
}

/** Summarises one figure over the rounds. Throws on an empty list: a scenario that measured nothing is a bug. */
export function summarise(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error('no samples to summarise');
  const values = [...samples];
  const mid = median(values);
  const low = min(values);
  const high = max(values);
  return { median: mid, min: low, max: high, spread: mid === 0 ? 0 : (high - low) / mid, samples: values };
}

/**
 * Ours divided by the baseline's, per round (the two ran back to back, so each pair saw the same
 * machine load), then summarised. Rounds whose baseline is 0 are left out.
 */
export function pairedRatios(ours: readonly number[], baseline: readonly number[]): Summary {
  if (ours.length !== baseline.length) throw new Error(`${ours.length} product rounds but ${baseline.length} baseline rounds`);
  const ratios = ours.flatMap((value, i) => {
    const base = baseline[i] ?? 0;
    return base === 0 ? [] : [value / base];
  });
  return summarise(ratios);
}

/** Per round `ours - baseline` (e.g. the latency an extra hop adds), then summarised. */
export function pairedDifferences(ours: readonly number[], baseline: readonly number[]): Summary {
  if (ours.length !== baseline.length) throw new Error(`${ours.length} product rounds but ${baseline.length} baseline rounds`);
  return summarise(ours.map((value, i) => value - (baseline[i] ?? 0)));
}

/** `count` divided by `requests`, or 0 when nothing was requested. */
export const perRequest = (count: number, requests: number): number => (requests > 0 ? count / requests : 0);
