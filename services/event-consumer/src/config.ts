import { commonEnv, port } from '@testbed/service-kit';
import { DEFAULT_CONSUMER_STALL_S, DEFAULT_RETRY_BACKOFF_MS } from '@testbed/service-kit/events';
import { z } from 'zod';
import { DEFAULT_STATS_PREFIX } from './adapters/redis/stats-keys.js';

const milliseconds = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'must be a comma-separated list of milliseconds, e.g. 1000,5000')
  .transform((value) => value.split(',').map(Number));

/** The servers of the production mode; all of them, or none (the in-memory mode). */
const SERVER_KEYS = ['MYSQL_URL', 'REDIS_URL', 'NATS_URL'] as const;

const fields = z.object({
  ...commonEnv,
  /** HTTP port for /healthz, /readyz, /metrics and the read API (/read-models). */
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

/**
 * With MYSQL_URL, REDIS_URL and NATS_URL the consumers follow JetStream and keep the read models
 * in MySQL and Redis (production). With none of them, the read models live in memory, fed by
 * following EVENT_LOG_FILE (`pnpm dev` without servers). A partial set is a mistake, not a mode:
 * half the read models in memory would be lost on restart while the other half stays. So is the
 * in-memory mode under NODE_ENV=production: a Secret missing its keys must not quietly serve an
 * empty feed.
 */
export const configSchema = fields.superRefine((config, ctx) => {
  const set = SERVER_KEYS.filter((key) => config[key] !== undefined);
  if (set.length === 0 && config.NODE_ENV === 'production') {
    for (const key of SERVER_KEYS) {
      ctx.addIssue({ code: 'custom', path: [key], message: 'required when NODE_ENV=production: the in-memory mode is for development only' });
    }
    return;
  }
  if (set.length === 0 || set.length === SERVER_KEYS.length) return;
  for (const key of SERVER_KEYS.filter((k) => config[k] === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: [key],
      message: `required because ${set.join(' and ')} ${set.length === 1 ? 'is' : 'are'} set: event-consumer needs MYSQL_URL, REDIS_URL and NATS_URL together, or none of them for its in-memory mode`,
    });
  }
});

export type EventConsumerConfig = z.output<typeof configSchema>;
