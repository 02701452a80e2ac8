import { describe, expect, it } from 'vitest';
import { DLQ_HEADERS, deadLetterHeaders } from './dead-letter-headers.js';

describe('deadLetterHeaders', () => {
  it('when the error is cut at its limit on an astral character, then no lone surrogate is left', () => {
    const error = `${'a'.repeat(999)}😀tail`;
    const header = deadLetterHeaders({ error, kind: 'permanent', consumer: 'c', subject: 's', deliveries: 1, streamSequence: 1 })[DLQ_HEADERS.error] ?? '';
    expect(header).toBe(`${'a'.repeat(999)}😀`);
    expect(header).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });

  it('when the error spans lines, then the header is one line', () => {
    const headers = deadLetterHeaders({ error: 'first\r\nsecond', kind: 'retries-exhausted', consumer: 'c', subject: 's', deliveries: 5, streamSequence: 9 });
    expect(headers[DLQ_HEADERS.error]).toBe('first second');
  });
});
