import { commonEnv, port } from '@testbed/service-kit';
import { DEFAULT_CONSUMER_STALL_S, DEFAULT_RETRY_BACKOFF_MS, DEFAULT_STATS_PREFIX } from '@testbed/service-kit/events';
import { z } from 'zod';

const milliseconds = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'must be a comma-separated list of milliseconds, e.g. 1000,5000')
  .transform((value) => value.split(',').map(Number));

export const configSchema = z.object({
  ...commonEnv,
  // The consumer has no embedded mode: its whole job is moving events between these three.
  MYSQL_URL: commonEnv.MYSQL_URL.unwrap(),
  REDIS_URL: commonEnv.REDIS_URL.unwrap(),
  NATS_URL: commonEnv.NATS_URL.unwrap(),
  /** HTTP port for /healthz, /readyz and /metrics. */
  PORT: port(8083),
  STATS_PREFIX: z.string().min(1).default(DEFAULT_STATS_PREFIX),
  /** How long the stats consumer remembers an applied event id; replays older than this would count twice. */
  STATS_APPLIED_TTL_S: z.coerce
    .number()
    .int()
    .positive()
    .default(30 * 24 * 60 * 60),
  EVENT_ACK_WAIT_S: z.coerce.number().positive().default(30),
  EVENT_MAX_DELIVER: z.coerce.number().int().min(1).default(5),
  EVENT_RETRY_BACKOFF_MS: milliseconds.default([...DEFAULT_RETRY_BACKOFF_MS]),
  /** Seconds a consumer may have events waiting without handling any before /readyz reports it degraded. */
  EVENT_CONSUMER_STALL_S: z.coerce.number().positive().default(DEFAULT_CONSUMER_STALL_S),
  /**
   * Events each consumer handles at once in this process (and pulls ahead). 128 lets the activity
   * feed's group commit fill multi-row INSERTs: 16 gave 706 events/s, 128 gave 2,600 events/s
   * (docs/performance.md). After a crash up to this many events wait out EVENT_ACK_WAIT_S.
   */
  EVENT_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(128),
});

export type EventConsumerConfig = z.output<typeof configSchema>;
