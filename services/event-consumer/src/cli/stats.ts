import { once } from 'node:events';
import { closeRedis, commonEnv, createLogger, createMysqlPool, createRedis, loadConfigOrExit } from '@testbed/service-kit';
import { DEFAULT_STATS_PREFIX } from '../adapters/redis/stats-keys.js';
import { z } from 'zod';
import { STATS_USAGE, UsageError, runStatsCommand } from './stats-command.js';

const config = loadConfigOrExit(
  z.object({
    MYSQL_URL: commonEnv.MYSQL_URL.unwrap(),
    REDIS_URL: commonEnv.REDIS_URL.unwrap(),
    STATS_PREFIX: z.string().min(1).default(DEFAULT_STATS_PREFIX),
    STATS_APPLIED_TTL_S: z.coerce
      .number()
      .int()
      .positive()
      .default(30 * 24 * 60 * 60),
    LOG_LEVEL: commonEnv.LOG_LEVEL.default('warn'),
  }),
);
const logger = createLogger({ service: 'event-consumer-stats', level: config.LOG_LEVEL });

// pnpm passes a literal "--" through when the user separates script arguments with it.
const argv = process.argv.slice(2).filter((arg) => arg !== '--');
const pool = createMysqlPool(config.MYSQL_URL);
const redis = createRedis(config.REDIS_URL, logger);
let exitCode = 0;
try {
  // The service client queues nothing while disconnected; a one-shot command waits for the connection.
  if (redis.status !== 'ready') await once(redis, 'ready');
  process.stdout.write(await runStatsCommand(argv, { pool, redis, prefix: config.STATS_PREFIX, appliedTtlS: config.STATS_APPLIED_TTL_S }));
} catch (error) {
  exitCode = error instanceof UsageError ? 2 : 1;
  logger.error({ err: error }, 'stats command failed');
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  if (error instanceof UsageError) process.stderr.write(STATS_USAGE);
} finally {
  await pool.end();
  await closeRedis(redis);
}
process.exitCode = exitCode;
