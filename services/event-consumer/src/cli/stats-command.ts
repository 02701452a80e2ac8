import { parseArgs } from 'node:util';
import type { MysqlPool, Redis } from '@testbed/service-kit';
import { readStats } from '../adapters/redis/stats-keys.js';
import { statsSnapshotFromActivity } from '../adapters/mysql/activity.store.js';
import { RedisStatsStore } from '../adapters/redis/stats.store.js';
import { STATS_CONSUMER } from '../consumers/stats.consumer.js';

export const STATS_USAGE = `usage:
  stats show        print the stats as public-api serves them
  stats rebuild     recount them from the activity table (MySQL) and set them in Redis at once
`;

export class UsageError extends Error {}

export interface StatsCommandDeps {
  readonly pool: MysqlPool;
  readonly redis: Redis;
  readonly prefix: string;
  /** How long "applied" markers live (STATS_APPLIED_TTL_S); events applied within it get one. */
  readonly appliedTtlS: number;
}

/** Runs one `stats` command and returns what to print; the entry point owns the connections and exit code. */
export async function runStatsCommand(argv: readonly string[], deps: StatsCommandDeps): Promise<string> {
  const { positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: {} });
  const [command, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`${command} takes no arguments`);
  switch (command) {
    case 'show':
      return `${JSON.stringify(await readStats(deps.redis, deps.prefix), null, 2)}\n`;
    case 'rebuild': {
      const before = await readStats(deps.redis, deps.prefix);
      const snapshot = await statsSnapshotFromActivity(deps.pool, deps.appliedTtlS);
      const store = new RedisStatsStore(deps.redis, { prefix: deps.prefix, consumer: STATS_CONSUMER, appliedTtlS: deps.appliedTtlS });
      await store.replaceAll(snapshot);
      const after = await readStats(deps.redis, deps.prefix);
      return [
        `before:  messages=${before.messages} users=${before.users} signIns=${before.signIns} updatedAt=${before.updatedAt ?? '-'}`,
        `rebuilt: messages=${after.messages} users=${after.users} signIns=${after.signIns} updatedAt=${after.updatedAt ?? '-'}`,
        `${snapshot.recentEventIds.length} recent event(s) marked applied`,
        '',
      ].join('\n');
    }
    default:
      throw new UsageError(command ? `unknown command: ${command}` : 'missing command');
  }
}
