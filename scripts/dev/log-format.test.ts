import { describe, expect, it } from 'vitest';
import { formatLine } from './log-format.js';

describe('formatLine', () => {
  it('when the line is pino JSON, then it shows level, message and extra fields', () => {
    const line = JSON.stringify({ level: 40, time: 1, pid: 2, service: 'x', msg: 'redis connection lost', err: 'ECONNREFUSED' });
    expect(formatLine('auth-service', 35, line, false)).toBe('auth-service    WARN  redis connection lost err=ECONNREFUSED');
  });

  it('when colour is off and a tool coloured its line anyway, then the escape codes are removed', () => {
    expect(formatLine('auth-emulator', 36, '\x1b[90m│\x1b[39m ✔  All emulators ready!', false)).toBe('auth-emulator   │ ✔  All emulators ready!');
  });

  it('when the line is plain text, then it is passed through with the source prefix', () => {
    expect(formatLine('emulator', 36, 'All emulators ready!', false)).toBe('emulator        All emulators ready!');
  });
});
