import { describe, expect, it } from 'vitest';
import { AUTHOR_NAME_MAX, DISPLAY_NAME_MAX as PROFILE_NAME_MAX, MESSAGE_TEXT_MAX } from '@testbed/text';
import { internalNewMessageSchema as internalPostMessageBody, newMessageSchema as postMessageBody } from './public-api.js';

// 🎉 is one code point and two UTF-16 code units: each limit is put exactly on an astral character.
const astral = (count: number) => '🎉'.repeat(count);
const endingAstral = (count: number) => `${'a'.repeat(count - 1)}🎉`;

describe('newMessageSchema', () => {
  it('when text and author are astral characters exactly at their limits, then it accepts them', () => {
    for (const text of [astral(MESSAGE_TEXT_MAX), endingAstral(MESSAGE_TEXT_MAX)]) {
      expect(postMessageBody.safeParse({ text, author: astral(AUTHOR_NAME_MAX) })).toEqual({
        success: true,
        data: { text, author: astral(AUTHOR_NAME_MAX) },
      });
    }
  });

  it.each([
    ['text', { text: endingAstral(MESSAGE_TEXT_MAX + 1) }],
    ['text of astral characters', { text: astral(MESSAGE_TEXT_MAX + 1) }],
    ['author', { text: 'hi', author: endingAstral(AUTHOR_NAME_MAX + 1) }],
  ])('when the %s is one code point over its limit, then it rejects the body', (_, body) => {
    expect(postMessageBody.safeParse(body).success).toBe(false);
  });
});

describe('internalNewMessageSchema', () => {
  // The author's uid comes from the verified token, never the body.
  const author = (displayName: string) => ({ displayName });

  it('when text and display name are astral characters exactly at their limits, then it accepts them', () => {
    const body = { text: astral(MESSAGE_TEXT_MAX), author: author(astral(PROFILE_NAME_MAX)) };
    expect(internalPostMessageBody.safeParse(body)).toEqual({ success: true, data: body });
  });

  it('when text or display name is one code point over its limit, then it rejects the body', () => {
    expect(internalPostMessageBody.safeParse({ text: astral(MESSAGE_TEXT_MAX + 1), author: author('Ada') }).success).toBe(false);
    expect(internalPostMessageBody.safeParse({ text: 'hi', author: author(endingAstral(PROFILE_NAME_MAX + 1)) }).success).toBe(false);
  });
});

describe('request text is plain text (no lone surrogates, no control characters)', () => {
  const problems = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
    (result.error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`);

  it.each([
    ['a lone surrogate in the text', { text: 'hi \ud800' }, 'text: must be plain text: it contains a lone UTF-16 surrogate'],
    ['NUL in the text', { text: 'a\u0000b' }, 'text: must be plain text: it contains a control character'],
    ['ESC in the author', { text: 'hi', author: 'Eve\u001b[2J' }, 'author: must be plain text: it contains a control character'],
    ['a line break in the author', { text: 'hi', author: 'Eve\nAdmin' }, 'author: must be plain text: it contains a control character or line break'],
  ])('when a post has %s, then it is refused and the field is named', (_case, body, expected) => {
    expect(problems(postMessageBody.safeParse(body))).toEqual([expect.stringContaining(expected)]);
  });

  it('when a message has line breaks, tabs and emoji, then it is accepted unchanged', () => {
    const text = 'line one\r\nline two\twith a tab 🎉';
    expect(postMessageBody.safeParse({ text })).toEqual({ success: true, data: { text, author: 'anonymous' } });
  });

  it("when secure-api forwards a display name with a control character, then public-api's internal route refuses it too", () => {
    expect(problems(internalPostMessageBody.safeParse({ text: 'hi', author: { displayName: 'Ada\u0007' } }))).toEqual([
      expect.stringContaining('author.displayName: must be plain text'),
    ]);
  });
});
