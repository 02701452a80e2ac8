import { runService } from '@testbed/service-kit';
import { configSchema } from './config.js';
import { SERVICE_NAME, startService } from './service.js';

await runService({ name: SERVICE_NAME, configSchema, startService });
