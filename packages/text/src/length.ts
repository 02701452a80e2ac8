/**
 * Text length in Unicode code points: what a person counts as characters far more often than
 * UTF-16 code units (JavaScript's `.length`, which counts 😀 as 2), and what MySQL's utf8mb4
 * `VARCHAR(n)` and JSON Schema's `maxLength` count. Grapheme clusters (👍🏽 is two code points, é may be
 * two) are not used: they change with each Unicode version, and the database could not enforce them.
 */

const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/** The number of Unicode code points in `text`; a lone surrogate counts as one, as `[...text]` does. */
export function codePointLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    if (isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1))) i++;
    count++;
  }
  return count;
}

/** The first `count` code points of `text` (all of it when shorter); never ends inside a surrogate pair. */
export function sliceCodePoints(text: string, count: number): string {
  let end = 0;
  for (let taken = 0; taken < count && end < text.length; taken++) {
    end += isHighSurrogate(text.charCodeAt(end)) && isLowSurrogate(text.charCodeAt(end + 1)) ? 2 : 1;
  }
  return text.slice(0, end);
}

/**
 * `text` shortened to at most `max` code points, the last of them `ellipsis` when anything was cut
 * ("abcdef", 4 → "abc…"). Text that fits is returned unchanged. `max` counts the ellipsis too, so
 * the result always fits a column of `max` characters.
 * @throws RangeError when `max` is smaller than the ellipsis.
 */
export function truncateCodePoints(text: string, max: number, ellipsis = '…'): string {
  const room = max - codePointLength(ellipsis);
  if (!Number.isInteger(max) || room < 0) throw new RangeError(`max must be an integer of at least the ellipsis length, got ${max}`);
  if (codePointLength(text) <= max) return text;
  return `${sliceCodePoints(text, room)}${ellipsis}`;
}
