import { installShutdown, loadConfigOrExit } from '@testbed/service-kit';
import { startAuthService } from './auth-service.js';
import { configSchema } from './config.js';

const config = loadConfigOrExit(configSchema);
const service = await startAuthService(config);

installShutdown({
  logger: service.logger,
  health: service.health,
  steps: service.shutdownSteps,
  deadlineMs: config.SHUTDOWN_TIMEOUT_S * 1000,
});
