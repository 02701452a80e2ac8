// Turns one line of a service's output into one readable, coloured line. Services log pino
// JSON (what a log pipeline wants); a person at a terminal wants time, level and message.

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const LEVEL_COLOURS: Record<string, number> = { WARN: 33, ERROR: 31, FATAL: 31, DEBUG: 90, TRACE: 90 };
// Fields every pino line carries; the rest is shown after the message.
const STANDARD_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'name', 'service', 'msg', 'v']);

const colour = (code: number, text: string, enabled: boolean) => (enabled ? `\x1b[${code}m${text}\x1b[0m` : text);
// Some tools (firebase-tools) colour their output even into a pipe.
const ANSI_SEQUENCE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

export function formatLine(source: string, sourceColour: number, rawLine: string, useColour: boolean): string {
  const prefix = colour(sourceColour, source.padEnd(15), useColour);
  const line = useColour ? rawLine : rawLine.replace(ANSI_SEQUENCE, '');
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return `${prefix} ${line}`;
  }
  if (typeof record !== 'object' || record === null || typeof record['msg'] !== 'string') return `${prefix} ${line}`;
  const level = LEVELS[Number(record['level'])] ?? 'INFO';
  const extras = Object.entries(record)
    .filter(([key]) => !STANDARD_FIELDS.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  const levelText = colour(LEVEL_COLOURS[level] ?? 32, level.padEnd(5), useColour);
  return `${prefix} ${levelText} ${record['msg']}${extras ? colour(90, ` ${extras}`, useColour) : ''}`;
}
