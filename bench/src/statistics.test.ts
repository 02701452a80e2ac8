import { describe, expect, it } from 'vitest';
import { pairedDifferences, pairedRatios, perRequest, summarise } from './statistics.js';

describe('summarise', () => {
  it('when given an odd number of rounds, then the median is the middle one and the spread is the range over it', () => {
    const summary = summarise([90, 100, 120]);
    expect(summary).toMatchObject({ median: 100, min: 90, max: 120 });
    expect(summary.spread).toBeCloseTo(0.3);
  });

  it('when given an even number of rounds, then the median is the mean of the middle two', () => {
    expect(summarise([4, 1, 3, 2]).median).toBe(2.5);
  });

  it('when the median is 0, then the spread is 0 instead of a division by zero', () => {
    expect(summarise([0, 0, 0]).spread).toBe(0);
  });

  it('when there is nothing to summarise, then it throws', () => {
    expect(() => summarise([])).toThrow(/no samples/);
  });
});

describe('pairedRatios', () => {
  it('when each round has a product and a baseline figure, then the ratio is taken per round before the median', () => {
    // Per round: 0.5, 0.6, 0.9. Dividing the medians instead would give 60/100 = 0.6 too, but 0.9 shows the pairing.
    const ratios = pairedRatios([50, 60, 90], [100, 100, 100]);
    expect(ratios.samples).toEqual([0.5, 0.6, 0.9]);
    expect(ratios.median).toBe(0.6);
  });

  it('when a baseline round measured 0, then that round is left out', () => {
    expect(pairedRatios([50, 60], [100, 0]).samples).toEqual([0.5]);
  });

  it('when the sides have different numbers of rounds, then it throws', () => {
    expect(() => pairedRatios([1, 2], [1])).toThrow(/2 product rounds but 1 baseline/);
  });
});

describe('pairedDifferences', () => {
  it('when latencies are compared, then the difference is taken per round', () => {
    expect(pairedDifferences([3, 5, 4], [1, 2, 2]).samples).toEqual([2, 3, 2]);
  });
});

describe('perRequest', () => {
  it('when no request completed, then the rate is 0', () => {
    expect(perRequest(10, 0)).toBe(0);
    expect(perRequest(10, 4)).toBe(2.5);
  });
});
