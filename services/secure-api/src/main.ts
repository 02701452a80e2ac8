import { runService } from '@testbed/service-kit';
import { configSchema } from './config.js';
import { SERVICE_NAME, startSecureApi } from './service.js';

await runService({
  name: SERVICE_NAME,
  configSchema,
  start: async (config, logger) => {
    const api = await startSecureApi(config, { logger });
    return { health: api.health, shutdownSteps: [{ name: SERVICE_NAME, run: () => api.close() }] };
  },
});
