import { describe, expect, it } from 'vitest';
import { kindFromHttpStatus } from './errors.js';

describe('kindFromHttpStatus', () => {
  it('when a status has its own kind, then that kind comes back, so a problem can be passed on unchanged', () => {
    expect(kindFromHttpStatus(400)).toBe('invalid-argument');
    expect(kindFromHttpStatus(404)).toBe('not-found');
    expect(kindFromHttpStatus(429)).toBe('resource-exhausted');
    expect(kindFromHttpStatus(503)).toBe('unavailable');
  });

  it('when a status has no kind of its own, then a 4xx is invalid-argument and anything else internal', () => {
    expect(kindFromHttpStatus(418)).toBe('invalid-argument');
    expect(kindFromHttpStatus(502)).toBe('internal');
  });
});
