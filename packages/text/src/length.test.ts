import { describe, expect, it } from 'vitest';
import { codePointLength, sliceCodePoints, truncateCodePoints } from './length.js';

const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('codePointLength', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['😀', 1],
    ['🎉'.repeat(150), 150],
    ['a😀b', 3],
    ['é', 1],
    ['e\u0301', 2],
    ['\uD83D', 1],
    ['\uDE00x', 2],
  ])('when the text is %j, then it has %i code points', (text, expected) => {
    expect(codePointLength(text)).toBe(expected);
    expect(codePointLength(text)).toBe([...text].length);
  });
});

describe('sliceCodePoints', () => {
  it('when the cut falls inside a surrogate pair, then the whole astral character is kept', () => {
    expect(sliceCodePoints('a😀b', 2)).toBe('a😀');
    expect(sliceCodePoints('a😀b', 1)).toBe('a');
    expect(sliceCodePoints('ab', 5)).toBe('ab');
  });
});

describe('truncateCodePoints', () => {
  it('when the text fits, then it is returned unchanged', () => {
    expect(truncateCodePoints('😀'.repeat(120), 120)).toBe('😀'.repeat(120));
  });

  it('when an astral character sits exactly at the cut, then it is kept whole and the result has max code points', () => {
    const text = `${'a'.repeat(118)}😀tail`;
    const cut = truncateCodePoints(text, 120);

    expect(cut).toBe(`${'a'.repeat(118)}😀…`);
    expect(codePointLength(cut)).toBe(120);
    expect(cut).not.toMatch(lone);
  });

  it('when every character is astral, then no cut leaves a lone surrogate', () => {
    for (let max = 1; max <= 10; max++) {
      const cut = truncateCodePoints('🎉'.repeat(12), max);
      expect(codePointLength(cut)).toBe(max);
      expect(cut).not.toMatch(lone);
    }
  });

  it('when max cannot hold the ellipsis, then it throws a RangeError', () => {
    expect(() => truncateCodePoints('abc', 0)).toThrow(RangeError);
    expect(() => truncateCodePoints('abc', 1.5)).toThrow(RangeError);
  });
});
