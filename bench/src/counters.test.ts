import { describe, expect, it } from 'vitest';
import { counterDelta, parseProcStat, parseProcStatus, redisCallsFromInfo } from './counters.js';

describe('redisCallsFromInfo', () => {
  it('when INFO commandstats lists commands, then their calls are summed without the INFO calls', () => {
    const info = [
      '# Commandstats',
      'cmdstat_get:calls=10,usec=20,usec_per_call=2.00,rejected_calls=0,failed_calls=0',
      'cmdstat_evalsha:calls=5,usec=50,usec_per_call=10.00,rejected_calls=0,failed_calls=0',
      'cmdstat_info:calls=7,usec=70,usec_per_call=10.00,rejected_calls=0,failed_calls=0',
      '',
    ].join('\r\n');
    expect(redisCallsFromInfo(info)).toBe(15);
  });
});

describe('counterDelta', () => {
  it('when two snapshots are subtracted, then the reader’s own SHOW GLOBAL STATUS is not counted', () => {
    const delta = counterDelta({ redisCommands: 10, sqlStatements: 100, sqlWrites: 5 }, { redisCommands: 25, sqlStatements: 141, sqlWrites: 9 });
    expect(delta).toEqual({ redisCommands: 15, sqlStatements: 40, sqlWrites: 4 });
  });
});

describe('parseProcStatus', () => {
  it('when /proc/PID/status is read, then VmHWM and VmRSS come back in MiB', () => {
    const status = 'Name:\tnode\nVmPeak:\t 1000000 kB\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n';
    expect(parseProcStatus(status)).toEqual({ peakMiB: 200, rssMiB: 100 });
  });
});

describe('parseProcStat', () => {
  it('when the command name has spaces and parentheses, then utime + stime are still found, in seconds', () => {
    const stat = '4242 (node (dist) x) S 1 4242 4242 0 -1 4194304 500 0 0 0 250 50 0 0 20 0 11 0 100 0 0';
    expect(parseProcStat(stat)).toBe(3);
  });
});
