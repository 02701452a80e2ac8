// Server-side counters read before and after each run: what the product cost the datastores.
import { readFile } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import type { Connection, RowDataPacket } from 'mysql2/promise';

export interface CounterSnapshot {
  /** Sum of `calls` over Redis INFO commandstats, without the INFO calls themselves. */
  readonly redisCommands: number;
  /** MariaDB `Questions`: statements clients sent, this reader's own SHOW STATUS included. */
  readonly sqlStatements: number;
  /** MariaDB Com_insert + Com_insert_select + Com_update + Com_delete + Com_replace. */
  readonly sqlWrites: number;
}

const WRITE_COUNTERS = ['Com_insert', 'Com_insert_select', 'Com_update', 'Com_delete', 'Com_replace'];

/** Sum of `calls=` over `INFO commandstats` lines, skipping the `info` command (our own reads). */
export function redisCallsFromInfo(info: string): number {
  let total = 0;
  for (const line of info.split(/\r?\n/)) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (match?.[1] && match[1] !== 'info') total += Number(match[2]);
  }
  return total;
}

/** Reads both servers' counters; `mysql` is a dedicated connection (not a pool) so its own statements are countable. */
export async function readCounters(redis: Redis, mysql: Connection): Promise<CounterSnapshot> {
  const [info, [rows]] = await Promise.all([
    redis.info('commandstats'),
    mysql.query<RowDataPacket[]>(`SHOW GLOBAL STATUS WHERE Variable_name IN ('Questions', ${WRITE_COUNTERS.map((name) => `'${name}'`).join(', ')})`),
  ]);
  const status = new Map(rows.map((row) => [String(row['Variable_name']), Number(row['Value'])]));
  return {
    redisCommands: redisCallsFromInfo(info),
    sqlStatements: status.get('Questions') ?? 0,
    sqlWrites: WRITE_COUNTERS.reduce((sum, name) => sum + (status.get(name) ?? 0), 0),
  };
}

/** after - before; the reader's own SHOW GLOBAL STATUS (one statement per snapshot) is taken off. */
export function counterDelta(before: CounterSnapshot, after: CounterSnapshot): CounterSnapshot {
  return {
    redisCommands: after.redisCommands - before.redisCommands,
    sqlStatements: Math.max(0, after.sqlStatements - before.sqlStatements - 1),
    sqlWrites: after.sqlWrites - before.sqlWrites,
  };
}

export interface MemoryReading {
  /** VmHWM: the peak resident set since the process started, MiB. */
  readonly peakMiB: number;
  /** VmRSS: the resident set now, MiB. */
  readonly rssMiB: number;
}

/** VmHWM and VmRSS from /proc/PID/status (Linux), in MiB. */
export function parseProcStatus(status: string): MemoryReading {
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peakMiB: kib('VmHWM') / 1024, rssMiB: kib('VmRSS') / 1024 };
}

export async function readMemory(pid: number): Promise<MemoryReading> {
  return parseProcStatus(await readFile(`/proc/${pid}/status`, 'utf8'));
}

/**
 * CPU seconds (user + system) a process has used, from fields 14 and 15 of /proc/PID/stat, in
 * clock ticks of `ticksPerSecond` (`getconf CLK_TCK`, 100 on Linux). The command name (field 2)
 * may contain spaces and parentheses, so fields are counted after its closing parenthesis.
 */
export function parseProcStat(stat: string, ticksPerSecond = 100): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Field 3 (state) is fields[0] here, so utime (14) and stime (15) are fields[11] and fields[12].
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

export async function readCpuSeconds(pid: number): Promise<number> {
  return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
}
