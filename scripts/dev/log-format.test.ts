import { describe, expect, it } from 'vitest';
import { formatLine } from './log-format.js';

describe('formatLine', () => {
  it('when the line is pino JSON, then it shows level, message and extra fields', () => {
    const line = JSON.stringify({ level: 40, time: 1, pid: 2, service: 'x', msg: 'redis connection lost', code: 'ECONNREFUSED' });
    expect(formatLine('auth-service', 35, line, false)).toBe('auth-service    WARN: redis connection lost {"code":"ECONNREFUSED"}');
  });

  it('when a pino line carries an error, then its stack follows on lines that keep the source prefix', () => {
    const err = { type: 'Error', message: 'connect ECONNREFUSED', stack: 'Error: connect ECONNREFUSED\n    at connect (net.js:1)' };
    const lines = formatLine('secure-api', 35, JSON.stringify({ level: 50, time: 1, msg: 'mysql down', err }), false).split('\n');
    expect(lines[0]).toBe('secure-api      ERROR: mysql down');
    expect(lines.every((text) => text.startsWith('secure-api      '))).toBe(true);
    expect(lines.join('\n')).toContain('at connect (net.js:1)');
  });

  it('when colour is off and a tool coloured its line anyway, then the escape codes are removed', () => {
    expect(formatLine('auth-emulator', 36, '\x1b[90m│\x1b[39m ✔  All emulators ready!', false)).toBe('auth-emulator   │ ✔  All emulators ready!');
  });

  it('when the line is plain text, then it is passed through with the source prefix', () => {
    expect(formatLine('emulator', 36, 'All emulators ready!', false)).toBe('emulator        All emulators ready!');
  });
});
