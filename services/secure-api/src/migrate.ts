// `node dist/migrate.js` (or `pnpm --filter secure-api migrate`): applies this service's migrations and
// exits. The prod overlay runs it as an Argo CD PreSync Job so a schema change lands before new pods
// start; start-up applies the same files too. Safe to re-run: each file is applied once per scope,
// under a MySQL named lock (services/shared/src/migrations.ts).
import { fileURLToPath } from 'node:url';
import { commonEnv, createLogger, loadConfigOrExit, migrate } from '@testbed/service-kit';
import { migrateOutbox } from '@testbed/service-kit/events';
import { z } from 'zod';

const SCOPE = 'secure-api';
const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

const config = loadConfigOrExit(
  z.object({ LOG_LEVEL: commonEnv.LOG_LEVEL, MYSQL_URL: commonEnv.MYSQL_URL.unwrap() }),
);
const logger = createLogger({ service: `${SCOPE}-migrate`, level: config.LOG_LEVEL });
const url = config.MYSQL_URL;
try {
  const applied = await migrate(url, MIGRATIONS_DIR, logger, SCOPE);
  // The transactional outbox's table has its own scope; the services that write events own it together.
  await migrateOutbox(url, logger);
  logger.info({ scope: SCOPE, applied }, 'migrations are up to date');
} catch (err) {
  logger.error({ err }, 'migrations failed');
  process.exitCode = 1;
}
