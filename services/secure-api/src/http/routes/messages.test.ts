import { describe, expect, it } from 'vitest';
import { MESSAGE_TEXT_MAX } from '../../domain/message-board.js';
import { postMessageBody } from './messages.js';

describe('secure-api postMessageBody', () => {
  it('when the text is astral characters exactly at the limit, then it is accepted (code points, not UTF-16 units)', () => {
    for (const text of ['🎉'.repeat(MESSAGE_TEXT_MAX), `${'a'.repeat(MESSAGE_TEXT_MAX - 1)}🎉`]) {
      expect(postMessageBody.safeParse({ text })).toEqual({ success: true, data: { text } });
    }
  });

  it('when the text is one code point over the limit, then it is rejected', () => {
    expect(postMessageBody.safeParse({ text: '🎉'.repeat(MESSAGE_TEXT_MAX + 1) }).success).toBe(false);
    expect(postMessageBody.safeParse({ text: `${'a'.repeat(MESSAGE_TEXT_MAX)}🎉` }).success).toBe(false);
  });
});
