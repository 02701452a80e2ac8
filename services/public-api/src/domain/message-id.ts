import { randomBytes } from 'node:crypto';

let lastMs = -1;
let sequence = 0;

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, a 12-bit sequence, then random bits. Ids
 * made later by this process sort later, even within one millisecond (the sequence, RFC 9562
 * method 1), so messages posted in the same millisecond still list in posting order, and inserts
 * append to the primary key instead of splitting pages all over it.
 */
export function newMessageId(now: Date = new Date()): string {
  let ms = now.getTime();
  if (ms <= lastMs) {
    // Same millisecond, or the clock stepped back: stay on the last timestamp and count up.
    ms = lastMs;
    sequence += 1;
    if (sequence > 0xfff) {
      ms += 1;
      sequence = 0;
    }
  } else {
    // Start low in the range so there is room to count up within the millisecond.
    sequence = randomBytes(1)[0] ?? 0;
  }
  lastMs = ms;

  const bytes = randomBytes(16);
  const time = BigInt(ms);
  for (let i = 0; i < 6; i++) bytes[i] = Number((time >> BigInt(8 * (5 - i))) & 0xffn);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
