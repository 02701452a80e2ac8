import { z } from 'zod';
import { commonEnv, loadConfigOrExit } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { migrate } from './migrations.js';

/**
 * The body of a service's `migrate` entry point (`node dist/migrate.js`, the prod overlay's Argo CD
 * PreSync Job): applies the service's numbered SQL files under its own scope, then `alsoMigrate`
 * (e.g. the shared outbox table), logs the outcome and sets exit code 1 on failure. Reads only
 * `MYSQL_URL` (required) and `LOG_LEVEL`; exits 1 on a bad environment before connecting. Safe to
 * re-run: each file is applied once per scope under a MySQL named lock.
 */
export async function runMigrateCommand(options: {
  /** The service's name: the migration scope and the logger's service. */
  readonly scope: string;
  readonly migrationsDir: string;
  readonly alsoMigrate?: (mysqlUrl: string, logger: Logger) => Promise<unknown>;
}): Promise<void> {
  const config = loadConfigOrExit(z.object({ LOG_LEVEL: commonEnv.LOG_LEVEL, MYSQL_URL: commonEnv.MYSQL_URL.unwrap() }));
  const logger = createLogger({ service: `${options.scope}-migrate`, level: config.LOG_LEVEL });
  try {
    const applied = await migrate(config.MYSQL_URL, options.migrationsDir, logger, options.scope);
    await options.alsoMigrate?.(config.MYSQL_URL, logger);
    logger.info({ scope: options.scope, applied }, 'migrations are up to date');
  } catch (err) {
    logger.error({ err }, 'migrations failed');
    process.exitCode = 1;
  }
}
