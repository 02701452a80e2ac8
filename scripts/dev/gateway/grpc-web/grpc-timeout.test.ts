import { describe, expect, it } from 'vitest';
import { formatGrpcTimeout, parseGrpcTimeout } from './grpc-timeout.js';

describe('grpc-timeout', () => {
  it('when the header uses any unit, then it is read as milliseconds', () => {
    expect(parseGrpcTimeout('2S')).toBe(2_000);
    expect(parseGrpcTimeout('1M')).toBe(60_000);
    expect(parseGrpcTimeout('250m')).toBe(250);
    expect(parseGrpcTimeout('5000u')).toBe(5);
  });

  it('when the header is missing or malformed, then there is no client deadline', () => {
    for (const value of [undefined, '', '10', '123456789S', '1s', '-1m']) expect(parseGrpcTimeout(value)).toBeUndefined();
  });

  it('when a deadline is sent on, then it is whole milliseconds, at least 1', () => {
    expect(formatGrpcTimeout(10_000)).toBe('10000m');
    expect(formatGrpcTimeout(0.2)).toBe('1m');
  });
});
