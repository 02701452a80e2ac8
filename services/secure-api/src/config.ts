import { authVerifyTimeoutMs, commonEnv, hostPort, loadConfig, port, trustedProxyHops } from '@testbed/service-kit';
import { z } from 'zod';

export const configSchema = z.object({
  ...commonEnv,
  PORT: port(8082),
  TRUSTED_PROXY_HOPS: trustedProxyHops,
  AUTH_GRPC_ADDR: hostPort.default('127.0.0.1:50051'),
  /** Longest wait for one VerifyToken call to auth-service before answering 503. */
  AUTH_VERIFY_TIMEOUT_MS: authVerifyTimeoutMs,
  /**
   * public-api's internal base URL (its INTERNAL_PORT); secure-api calls its /internal routes for
   * messages and activity, forwarding the user's ID token.
   */
  PUBLIC_API_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8091'),
  /** Longest wait for public-api before answering 503. */
  PUBLIC_API_TIMEOUT_MS: z.coerce.number().int().positive().default(3_000),
});

export type SecureApiConfig = z.output<typeof configSchema>;

export const loadSecureApiConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(configSchema, env);
