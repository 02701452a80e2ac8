import { AUTHOR_NAME_MAX, BIO_MAX, codePointLength, DISPLAY_NAME_MAX, MESSAGE_TEXT_MAX, plainTextProblem } from '@testbed/text';

// The same limits the APIs enforce, from the one place they are defined, counted the same way (Unicode
// code points: 🎉 is one character). Checking them here saves a round trip; the server stays the authority.
export { AUTHOR_NAME_MAX, BIO_MAX, DISPLAY_NAME_MAX, MESSAGE_TEXT_MAX };

export type Rule = (value: string) => true | string;

/** What a field's counter shows; pass `trim` for fields the API trims before counting. */
export const countCharacters = (value: string | null | undefined, trim = false) => codePointLength(trim ? (value ?? '').trim() : (value ?? ''));

const atMost =
  (max: number, trim: boolean): Rule =>
  (value) =>
    countCharacters(value, trim) <= max || `At most ${max} characters.`;

// The APIs refuse control characters and broken surrogates (pasted text can carry them); say so here first.
const plain =
  (multiline: boolean): Rule =>
  (value) =>
    plainTextProblem(value, { multiline }) === undefined ||
    (multiline ? 'Remove the invisible control characters.' : 'Use one line without control characters.');

export const messageTextRules: Rule[] = [(value) => value.trim().length > 0 || 'Write something first.', atMost(MESSAGE_TEXT_MAX, true), plain(true)];

export const authorRules: Rule[] = [atMost(AUTHOR_NAME_MAX, true), plain(false)];

export const displayNameRules: Rule[] = [(value) => value.trim().length > 0 || 'Enter a name.', atMost(DISPLAY_NAME_MAX, true), plain(false)];

export const bioRules: Rule[] = [atMost(BIO_MAX, false), plain(true)];

export function firstRuleError(rules: Rule[], value: string): string | undefined {
  for (const rule of rules) {
    const result = rule(value);
    if (result !== true) return result;
  }
  return undefined;
}
