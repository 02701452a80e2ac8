import { installShutdown, loadConfigOrExit } from '@testbed/service-kit';
import { configSchema } from './config.js';
import { startPublicApi } from './start-public-api.js';

const config = loadConfigOrExit(configSchema);
const api = await startPublicApi(config);

installShutdown({
  logger: api.logger,
  health: api.health,
  steps: [{ name: 'public-api', run: () => api.close() }],
  deadlineMs: config.SHUTDOWN_TIMEOUT_S * 1_000,
});
