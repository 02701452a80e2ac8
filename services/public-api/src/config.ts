import { authVerifyTimeoutMs, commonEnv, hostPort, loadConfig, port, trustedProxyHops } from '@testbed/service-kit';
import { z } from 'zod';

export const configSchema = z.object({
  ...commonEnv,
  PORT: port(8081),
  TRUSTED_PROXY_HOPS: trustedProxyHops,
  /**
   * Port of the internal routes (/internal/*) for other services; never routed by the gateway, and
   * in the cluster only secure-api may reach it. Callers prove who they are with the user's token.
   */
  INTERNAL_PORT: port(8091),
  /** auth-service's gRPC address; the internal routes verify forwarded ID tokens with it. */
  AUTH_GRPC_ADDR: hostPort.default('127.0.0.1:50051'),
  /** Longest wait for one VerifyToken call to auth-service before answering 503. */
  AUTH_VERIFY_TIMEOUT_MS: authVerifyTimeoutMs,
  /**
   * event-consumer's HTTP base URL: it owns the activity feed and the stats and serves them at
   * /read-models (its port 8083); the feed and stats routes read them there. In the cluster the
   * Service `event-consumer`.
   */
  READ_MODELS_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8083'),
  /** Longest wait for one read of event-consumer's read API before answering 503 + Retry-After. */
  READ_MODELS_TIMEOUT_MS: z.coerce.number().int().positive().default(2_000),
  /** Writes (POST) one client may make per minute, shared by all replicas through Redis. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(30),
});

export type PublicApiConfig = z.output<typeof configSchema>;

export const loadPublicApiConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(configSchema, env);
