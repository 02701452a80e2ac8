import { commonEnv, hostPort, loadConfig, port } from '@testbed/service-kit';
import { z } from 'zod';

export const configSchema = z.object({
  ...commonEnv,
  PORT: port(8082),
  AUTH_GRPC_ADDR: hostPort.default('127.0.0.1:50051'),
  /**
   * The max_age announced in the step-up challenge. It must equal auth-service's
   * FRESH_AUTH_WINDOW_S, or the SPA would re-authenticate and still be refused.
   */
  FRESH_AUTH_MAX_AGE_S: z.coerce.number().int().positive().default(300),
});

export type SecureApiConfig = z.output<typeof configSchema>;

export const loadSecureApiConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(configSchema, env);
