// `node dist/migrate.js` (or `pnpm --filter public-api migrate`): applies this service's migrations and
// exits. The prod overlay runs it as an Argo CD PreSync Job so a schema change lands before new pods
// start; start-up applies the same files too.
import { fileURLToPath } from 'node:url';
import { runMigrateCommand } from '@testbed/service-kit';
import { migrateOutbox } from '@testbed/service-kit/events';

await runMigrateCommand({
  scope: 'public-api',
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  // The transactional outbox's table has its own scope; the services that write events own it together.
  alsoMigrate: migrateOutbox,
});
