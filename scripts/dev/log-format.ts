// Turns one line of a service's output into readable, coloured text. Services log pino JSON (what a
// log pipeline wants); a person at a terminal wants level, message and fields, which pino-pretty
// renders. Each output line carries its source's name so interleaved services stay apart.
import { prettyFactory } from 'pino-pretty';

// Fields every line of ours carries that the prefix or the terminal already says.
const IGNORED_FIELDS = 'pid,hostname,service,name,time';

const colour = (code: number, text: string, enabled: boolean) => (enabled ? `\x1b[${code}m${text}\x1b[0m` : text);
// Some tools (firebase-tools) colour their output even into a pipe.
const ANSI_SEQUENCE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

const prettifiers = new Map<boolean, (record: Record<string, unknown>) => string>();
function prettifier(useColour: boolean): (record: Record<string, unknown>) => string {
  let prettify = prettifiers.get(useColour);
  if (!prettify) {
    // Fields on the message's line; an error's stack stays multi-line, as pino-pretty prints it.
    prettify = prettyFactory({ colorize: useColour, ignore: IGNORED_FIELDS, singleLine: true });
    prettifiers.set(useColour, prettify);
  }
  return prettify;
}

/**
 * One line of `source`'s output, ready for the terminal: pino JSON rendered by pino-pretty (level,
 * message, fields; an error's stack on the lines below), anything else passed through. Every line
 * of the result starts with the source's name, padded to 15 columns.
 *
 * @param sourceColour - the ANSI SGR colour code of the source's name
 * @param useColour - false for a pipe or file: no escape codes, and other tools' codes are removed
 */
export function formatLine(source: string, sourceColour: number, rawLine: string, useColour: boolean): string {
  const prefix = colour(sourceColour, source.padEnd(15), useColour);
  const line = useColour ? rawLine : rawLine.replace(ANSI_SEQUENCE, '');
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return `${prefix} ${line}`;
  }
  if (typeof record !== 'object' || record === null || typeof (record as { msg?: unknown }).msg !== 'string') return `${prefix} ${line}`;
  return prettifier(useColour)(record as Record<string, unknown>)
    .trimEnd()
    .split('\n')
    .map((text) => `${prefix} ${text.trimEnd()}`)
    .join('\n');
}
