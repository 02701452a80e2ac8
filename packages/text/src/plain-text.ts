/**
 * Whether a string is text a person could have typed, so it can be stored and shown unchanged.
 * JSON can carry what UTF-8 storage cannot: a lone UTF-16 surrogate (`"\ud800"`) has no UTF-8
 * encoding (MySQL's utf8mb4 and every encoder replace it with U+FFFD, so what was stored is not what
 * was sent), and control characters such as NUL or ESC are invisible, break logs and terminals, and
 * are never typed into a form.
 */

// In a `u` regex a well-formed surrogate pair is one code point, so \p{Cs} matches only a lone half.
const LONE_SURROGATE = /\p{Cs}/u;
// Unicode general category Cc: C0 controls, DEL and the C1 controls.
const ANY_CONTROL = /\p{Cc}/u;
// The same, except tab, line feed and carriage return: what a multi-line text box produces.
const CONTROL_EXCEPT_LINE_BREAKS = /(?![\t\n\r])\p{Cc}/u;

export interface PlainTextOptions {
  /** A text box (a message, a bio): tab, line feed and carriage return are allowed. Default false (a name). */
  readonly multiline?: boolean;
}

/**
 * Why `value` is not plain text, as a sentence fragment for an error message ("contains …"), or
 * undefined when it is.
 */
export function plainTextProblem(value: string, options: PlainTextOptions = {}): string | undefined {
  if (LONE_SURROGATE.test(value)) return 'contains a lone UTF-16 surrogate, which is not Unicode text';
  const control = options.multiline ? CONTROL_EXCEPT_LINE_BREAKS : ANY_CONTROL;
  if (control.test(value))
    return options.multiline ? 'contains a control character (only tab and line breaks are allowed)' : 'contains a control character or line break';
  return undefined;
}
