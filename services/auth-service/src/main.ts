import { runService } from '@testbed/service-kit';
import { startAuthService } from './service.js';
import { configSchema } from './config.js';

await runService({
  name: 'auth-service',
  configSchema,
  start: (config, logger) => startAuthService(config, { logger }),
});
