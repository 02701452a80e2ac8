import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.js';

describe('page cursor', () => {
  it('when a cursor made by the service comes back, then it names the same position', () => {
    const position = { createdAt: new Date('2026-01-02T03:04:05.678Z'), id: '0190f5e2-7b1c-7abc-8def-0123456789ab' };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it.each([
    '',
    'not base64!',
    Buffer.from('123').toString('base64url'),
    Buffer.from('x.y').toString('base64url'),
    Buffer.from('1.a b').toString('base64url'),
    Buffer.from('9999999999999999.a').toString('base64url'),
    'A'.repeat(300),
  ])('when the cursor is %j, then it is rejected', (cursor) => {
    expect(decodeCursor(cursor)).toBeUndefined();
  });
});
