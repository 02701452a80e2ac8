import { runService } from '@testbed/service-kit';
import { configSchema } from './config.js';
import { startEventConsumer } from './service.js';

await runService({
  name: 'event-consumer',
  configSchema,
  start: (config, logger) => startEventConsumer(config, { logger }),
});
