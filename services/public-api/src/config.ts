import { commonEnv, loadConfig, port, trustedProxyHops } from '@testbed/service-kit';
import { z } from 'zod';

export const configSchema = z.object({
  ...commonEnv,
  PORT: port(8081),
  TRUSTED_PROXY_HOPS: trustedProxyHops,
  /** Writes (POST) one client may make per minute, shared by all replicas through Redis. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(30),
});

export type PublicApiConfig = z.output<typeof configSchema>;

export const loadPublicApiConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(configSchema, env);
