import { createLogger, installShutdown, loadConfigOrExit } from '@testbed/service-kit';
import { configSchema } from './config.js';
import { SERVICE_NAME, startSecureApi } from './secure-api.js';

const config = loadConfigOrExit(configSchema);
const logger = createLogger({ service: SERVICE_NAME, level: config.LOG_LEVEL });

try {
  const api = await startSecureApi(config, { logger });
  installShutdown({
    logger,
    health: api.health,
    steps: [{ name: 'secure-api', run: () => api.close() }],
    deadlineMs: config.SHUTDOWN_TIMEOUT_S * 1_000,
  });
} catch (error) {
  // Migrations failing or the port being taken: say why once, then let Kubernetes restart us.
  logger.fatal({ err: error }, 'secure-api failed to start');
  process.exit(1);
}
