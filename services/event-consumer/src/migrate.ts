// `node dist/migrate.js` (or `pnpm --filter event-consumer migrate`): applies this service's migrations and
// exits. The prod overlay runs it as an Argo CD PreSync Job so a schema change lands before new pods
// start; start-up applies the same files too.
import { fileURLToPath } from 'node:url';
import { runMigrateCommand } from '@testbed/service-kit';

await runMigrateCommand({
  scope: 'event-consumer',
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
});
