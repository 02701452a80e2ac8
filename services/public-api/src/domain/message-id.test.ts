import { describe, expect, it } from 'vitest';
import { newMessageId } from './message-id.js';

describe('newMessageId', () => {
  it('when an id is made, then it is a version 7 RFC 9562 UUID', () => {
    expect(newMessageId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('when ids are made at later milliseconds, then they sort later', () => {
    const earlier = newMessageId(new Date('2030-01-01T00:00:00.000Z'));
    const later = newMessageId(new Date('2030-01-01T00:00:00.001Z'));
    expect(earlier < later).toBe(true);
  });

  it('when many ids are made in one millisecond, then each sorts after the one before', () => {
    const now = new Date('2031-01-01T00:00:00.000Z');
    const ids = Array.from({ length: 5_000 }, () => newMessageId(now));
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
  });
});
