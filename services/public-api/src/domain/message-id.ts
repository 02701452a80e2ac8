import { v7 as uuidv7 } from 'uuid';

/**
 * A new message id: a UUIDv7 (RFC 9562), 48 bits of Unix milliseconds then a counter and random
 * bits. The `uuid` package keeps ids made later by this process sorting later, even within one
 * millisecond or when the clock steps back (RFC 9562 §6.2, monotonic counter), so messages posted
 * in the same millisecond still list in posting order and inserts append to the primary key
 * instead of splitting pages all over it.
 */
export function newMessageId(): string {
  return uuidv7();
}
