import { commonEnv, hostPort, port } from '@testbed/service-kit';
import { z } from 'zod';

const DEFAULT_PROJECT_ID = 'demo-testbed';

export const configSchema = z
  .object({
    ...commonEnv,
    GRPC_PORT: port(50051),
    /** HTTP port for /healthz, /readyz and /metrics. */
    PORT: port(8084),
    FIREBASE_PROJECT_ID: z.string().min(1).optional(),
    /** Read by firebase-admin itself; validated here so production can refuse it. */
    FIREBASE_AUTH_EMULATOR_HOST: hostPort.optional(),
    /** A service-account key file, mounted from a Secret; read by firebase-admin's applicationDefault(). */
    GOOGLE_APPLICATION_CREDENTIALS: z.string().min(1).optional(),
    FRESH_AUTH_WINDOW_S: z.coerce.number().int().positive().default(300),
    /** Longest wait for firebase-admin (it may be fetching Google's keys) before answering UNAVAILABLE. */
    FIREBASE_VERIFY_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
    /** Longest wait for NATS when announcing a sign-in (in the background; never delays a verification). */
    NATS_PUBLISH_TIMEOUT_MS: z.coerce.number().int().positive().default(2_000),
    /**
     * Longest time one verification waits on Redis in all (cache read, cache write and session
     * state together), and never more than a quarter of the caller's remaining gRPC deadline. Past
     * it, the token is verified without Redis and graded at most AUTHORIZED.
     */
    REDIS_BUDGET_MS: z.coerce.number().int().positive().default(300),
    /** Prefix for every Redis key this service writes; tests use their own to stay apart. */
    REDIS_KEY_PREFIX: z.string().min(1).default('auth:'),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    if (env.FIREBASE_AUTH_EMULATOR_HOST !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['FIREBASE_AUTH_EMULATOR_HOST'],
        message: 'must not be set when NODE_ENV=production: firebase-admin would accept unsigned emulator tokens',
      });
    }
    if (env.FIREBASE_PROJECT_ID === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['FIREBASE_PROJECT_ID'],
        message: 'is required when NODE_ENV=production',
      });
    }
  })
  .transform((env) => ({ ...env, FIREBASE_PROJECT_ID: env.FIREBASE_PROJECT_ID ?? DEFAULT_PROJECT_ID }));

export type AuthServiceConfig = Readonly<z.output<typeof configSchema>>;
