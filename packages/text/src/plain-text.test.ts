import { describe, expect, it } from 'vitest';
import { plainTextProblem } from './plain-text.js';

describe('plainTextProblem', () => {
  it.each([
    ['plain ASCII', 'Hello, world'],
    ['accents and CJK', 'Grüße, 世界'],
    ['an astral character (a well-formed surrogate pair)', 'party 🎉'],
    ['a zero-width joiner sequence', '👩‍💻'],
    ['an empty string', ''],
  ])('when the text is %s, then it is plain text on one line and in a text box', (_case, value) => {
    expect(plainTextProblem(value)).toBeUndefined();
    expect(plainTextProblem(value, { multiline: true })).toBeUndefined();
  });

  it.each([
    ['a lone high surrogate', 'a\ud800b'],
    ['a lone low surrogate', '\udc00'],
    ['a high surrogate at the end', 'text\ud83c'],
    ['NUL', 'a\u0000b'],
    ['ESC (terminal escapes)', '\u001b[31mred'],
    ['DEL', 'a\u007f'],
    ['a C1 control', 'a\u0085b'],
    ['a vertical tab', 'a\u000bb'],
  ])('when the text contains %s, then it is refused everywhere', (_case, value) => {
    expect(plainTextProblem(value)).toMatch(/^contains /);
    expect(plainTextProblem(value, { multiline: true })).toMatch(/^contains /);
  });

  it.each([
    ['a line feed', 'one\ntwo'],
    ['CR LF', 'one\r\ntwo'],
    ['a tab', 'one\ttwo'],
  ])('when the text contains %s, then a text box takes it and a one-line field does not', (_case, value) => {
    expect(plainTextProblem(value, { multiline: true })).toBeUndefined();
    expect(plainTextProblem(value)).toBe('contains a control character or line break');
  });
});
