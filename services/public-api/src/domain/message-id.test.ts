import { describe, expect, it } from 'vitest';
import { newMessageId } from './message-id.js';

describe('newMessageId', () => {
  it('when an id is made, then it is a version 7 RFC 9562 UUID', () => {
    expect(newMessageId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('when an id is made, then its timestamp is the current Unix time in milliseconds', () => {
    const before = Date.now();
    const id = newMessageId();
    const after = Date.now();
    const ms = parseInt(id.replaceAll('-', '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    // The monotonic counter may carry into the next millisecond, never further than a few.
    expect(ms).toBeLessThanOrEqual(after + 5);
  });

  it('when many ids are made in a row (many in one millisecond), then each sorts after the one before', () => {
    const ids = Array.from({ length: 5_000 }, () => newMessageId());
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
  });
});
