import { z } from 'zod';
import { mysqlPoolDefaults } from './clients/mysql.js';

/** Thrown when the environment does not satisfy a service's schema; lists every bad key at once. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

// Kubernetes and .env files often carry `KEY=` for "unset"; treat an empty string as absent
// so optional keys stay optional and defaults apply.
const blankAsUndefined = (value: unknown) => (value === '' ? undefined : value);

/** Parses `env` once against `schema` and returns a frozen, typed object. */
export function loadConfig<S extends z.ZodType<object>>(schema: S, env: Record<string, string | undefined> = process.env): Readonly<z.output<S>> {
  const cleaned = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, blankAsUndefined(v)]));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  }
  return Object.freeze(result.data);
}

/**
 * Loads the config or, on a bad environment, prints every problem and exits 1 before any
 * connection is opened. Only a service's main.ts should call this.
 */
export function loadConfigOrExit<S extends z.ZodType<object>>(schema: S, env: Record<string, string | undefined> = process.env): Readonly<z.output<S>> {
  try {
    return loadConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

const connectionUrl = (protocols: readonly string[]) =>
  z.string().refine((value) => URL.canParse(value) && protocols.includes(new URL(value).protocol), {
    message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
  });

/** The environment contract every service shares. Services extend this with their own keys. */
export const commonEnv = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  MYSQL_URL: connectionUrl(['mysql:']).optional(),
  REDIS_URL: connectionUrl(['redis:', 'rediss:']).optional(),
  NATS_URL: connectionUrl(['nats:', 'tls:', 'ws:', 'wss:']).optional(),
  /**
   * Derives private JetStream stream and subject names (events/topology.ts topologyWithPrefix), so
   * several installs or test runs can share one NATS; unset (the default names) in production. Every
   * service that publishes or consumes events honours it; they must agree to see each other's events.
   */
  EVENT_TOPOLOGY_PREFIX: z
    .string()
    .regex(/^[a-z][\w-]{0,40}$/i, 'a letter, then up to 40 letters, digits, _ or -')
    .optional(),
  /**
   * Address the service's listeners bind (HTTP, and gRPC where it has one). 0.0.0.0 is what a
   * container needs; `pnpm dev` sets 127.0.0.1 so a laptop's services are not on its network.
   */
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  /**
   * `pnpm dev` without servers only: the file every producer appends its events to and event-consumer's
   * in-memory read models follow (see FileEventOutbox). Ignored when the service has MySQL (or, for
   * auth-service, NATS).
   */
  EVENT_LOG_FILE: z.string().min(1).optional(),
  /** Connections the MySQL pool opens at most. */
  MYSQL_CONNECTION_LIMIT: z.coerce.number().int().positive().default(mysqlPoolDefaults.connectionLimit),
  /** Requests that may wait for a free MySQL connection; one more is a 503 at once. */
  MYSQL_QUEUE_LIMIT: z.coerce.number().int().positive().default(mysqlPoolDefaults.queueLimit),
  /** Milliseconds to open a MySQL connection before the request is a 503. */
  MYSQL_CONNECT_TIMEOUT_MS: z.coerce.number().int().positive().default(mysqlPoolDefaults.connectTimeoutMs),
  /** Milliseconds a MySQL statement may go unanswered before the request is a 503. */
  MYSQL_QUERY_TIMEOUT_MS: z.coerce.number().int().positive().default(mysqlPoolDefaults.queryTimeoutMs),
  /** Milliseconds a request waits for a free MySQL connection before it is a 503. */
  MYSQL_POOL_WAIT_TIMEOUT_MS: z.coerce.number().int().positive().default(mysqlPoolDefaults.poolWaitTimeoutMs),
  /**
   * Milliseconds the HTTP server keeps accepting after SIGTERM (readiness already false), while
   * Kubernetes removes the pod from its endpoints; manifests set 5000.
   */
  SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).default(0),
  /** Milliseconds a graceful shutdown (delay included) may take before the process is forced to exit 1. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
};

/**
 * TRUSTED_PROXY_HOPS: how many proxies in front of the service append to X-Forwarded-For. The
 * client address is the entry that many hops from the right (Express `trust proxy` as a number);
 * 0 (the default) trusts no header and uses the socket address. Behind the cluster gateway (Envoy)
 * or the dev gateway it is 1. Never "every private range": a client can send any address.
 */
export const trustedProxyHops = z.coerce.number().int().min(0).max(10).default(0);

/**
 * AUTH_VERIFY_TIMEOUT_MS: the budget of one VerifyToken call to auth-service (retries included),
 * for the services that verify tokens through it; past it the request is a 503. Tests on a loaded
 * machine raise it so a slow neighbour is not counted as a fault.
 */
/** Default budget of one VerifyToken call to auth-service, retries included, in milliseconds. */
export const DEFAULT_VERIFY_DEADLINE_MS = 2_000;

export const authVerifyTimeoutMs = z.coerce.number().int().positive().default(DEFAULT_VERIFY_DEADLINE_MS);

export const hostPort = z.string().regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:50051');
