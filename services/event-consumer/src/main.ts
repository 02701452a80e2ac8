import { installShutdown, loadConfigOrExit } from '@testbed/service-kit';
import { configSchema } from './config.js';
import { startEventConsumer } from './event-consumer.js';

const config = loadConfigOrExit(configSchema);
const service = await startEventConsumer(config);

installShutdown({
  logger: service.logger,
  health: service.health,
  steps: service.shutdownSteps,
  deadlineMs: config.SHUTDOWN_TIMEOUT_S * 1000,
});
