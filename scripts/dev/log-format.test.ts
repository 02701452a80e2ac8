import { describe, expect, it } from 'vitest';
import { formatLine } from './log-format.js';

describe('formatLine', () => {
  it('when the line is pino JSON, then it shows level, message and extra fields', () => {
    const line = JSON.stringify({ level: 40, time: 1, pid: 2, service: 'x', msg: 'redis connection lost', err: 'ECONNREFUSED' });
    expect(formatLine('auth-service', 35, line, false)).toBe('auth-service    WARN  redis connection lost err=ECONNREFUSED');
  });

  it('when the line is plain text, then it is passed through with the source prefix', () => {
    expect(formatLine('emulator', 36, 'All emulators ready!', false)).toBe('emulator        All emulators ready!');
  });
});
