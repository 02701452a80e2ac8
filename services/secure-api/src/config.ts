import { commonEnv, hostPort, loadConfig, port, trustedProxyHops } from '@testbed/service-kit';
import { z } from 'zod';

export const configSchema = z.object({
  ...commonEnv,
  PORT: port(8082),
  TRUSTED_PROXY_HOPS: trustedProxyHops,
  AUTH_GRPC_ADDR: hostPort.default('127.0.0.1:50051'),
  /**
   * The max_age announced in the step-up challenge. It must equal auth-service's
   * FRESH_AUTH_WINDOW_S, or the SPA would re-authenticate and still be refused.
   */
  FRESH_AUTH_MAX_AGE_S: z.coerce.number().int().positive().default(300),
  /** public-api's service port; secure-api calls its /internal routes for messages and activity. */
  PUBLIC_API_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8081'),
  /** Longest wait for public-api before answering 503. */
  PUBLIC_API_TIMEOUT_MS: z.coerce.number().int().positive().default(3_000),
});

export type SecureApiConfig = z.output<typeof configSchema>;

export const loadSecureApiConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(configSchema, env);
