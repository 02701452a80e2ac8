import { fileURLToPath } from 'node:url';
import { jetstreamManager } from '@nats-io/jetstream';
import {
  closeRedis,
  connectNats,
  createMysqlPool,
  endMysqlPool,
  mysqlPoolSettings,
  createRedis,
  listenHttp,
  migrate,
  runShutdownSteps,
  pingMysql,
  pingNats,
  pingRedis,
  runningService,
  serviceBasics,
  type Health,
  type Logger,
  type Metrics,
  type RunningHttpServer,
  type RunningService,
  type ShutdownStep,
  type StartOptions,
  type StartService,
} from '@testbed/service-kit';
import {
  ConsumerProgress,
  EventLogFollower,
  JetStreamEventSubscriber,
  MemoryEventBus,
  ensureEventStream,
  topologyFor,
  type EventHandler,
  type Subscription,
} from '@testbed/service-kit/events';
import { MemoryActivityStore } from './adapters/memory/activity.store.js';
import { MemoryStatsStore } from './adapters/memory/stats.store.js';
import { MysqlActivityStore } from './adapters/mysql/activity.store.js';
import { RedisStatsStore } from './adapters/redis/stats.store.js';
import type { EventConsumerConfig } from './config.js';
import type { ActivityReader } from './domain/activity.js';
import type { StatsReader } from './domain/stats.js';
import { ACTIVITY_FEED_CONSUMER, activityFeedHandler } from './consumers/activity-feed.consumer.js';
import { STATS_CONSUMER, statsHandler } from './consumers/stats.consumer.js';
import { createApp } from './http/app.js';

export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

export const SERVICE_NAME = 'event-consumer';

/** `port` is the HTTP port (health, metrics and the read endpoints). */
export type RunningEventConsumer = RunningService;

export interface EventConsumerOptions extends StartOptions {
  /** Wraps each consumer's handler; tests use it to make an event fail on purpose. */
  readonly wrapHandler?: (consumer: string, handler: EventHandler) => EventHandler;
}

/** The read models and what feeds them, in one of the two modes; closed by the lifecycle. */
interface ReadModelSide {
  readonly activity: ActivityReader;
  readonly stats: StatsReader;
  /** Stop taking new events (the consumers, the event log follower). */
  readonly entryPoints: readonly ShutdownStep[];
  /** Finish the events already taken. */
  readonly drain: readonly ShutdownStep[];
  readonly clients: readonly ShutdownStep[];
  /** What the start-up log line says about the mode. */
  readonly describe: Record<string, unknown>;
}

interface SideContext {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly health: Health;
  readonly wrap: (consumer: string, handler: EventHandler) => EventHandler;
}

/**
 * Builds the read models and their consumers, then listens on HTTP (health, metrics and the read
 * API), the kit's lifecycle shape; main.ts and the integration tests share it. With MYSQL_URL,
 * REDIS_URL and NATS_URL (config.ts allows all or none): migrates, follows JetStream, keeps the
 * feed in MySQL and the stats in Redis. With none: keeps both in memory, fed by following
 * EVENT_LOG_FILE (`pnpm dev` without servers). Rejects, with what it opened closed again, when
 * the port is taken.
 */
export const startService: StartService<EventConsumerConfig, RunningEventConsumer, EventConsumerOptions> = async (config, options = {}) => {
  const { logger, metrics, health } = serviceBasics(SERVICE_NAME, config.LOG_LEVEL, options);
  const ctx: SideContext = { logger, metrics, health, wrap: options.wrapHandler ?? ((_consumer, handler) => handler) };
  const { MYSQL_URL, REDIS_URL, NATS_URL } = config;
  const side =
    MYSQL_URL && REDIS_URL && NATS_URL
      ? await startJetStreamSide(config, { mysqlUrl: MYSQL_URL, redisUrl: REDIS_URL, natsUrl: NATS_URL }, ctx)
      : await startMemorySide(config.EVENT_LOG_FILE, ctx);

  let http: RunningHttpServer;
  try {
    http = await listenHttp(createApp({ logger, metrics, health, activity: side.activity, stats: side.stats }), config.PORT, config.HOST);
  } catch (error) {
    await runShutdownSteps([...side.entryPoints, ...side.drain, ...side.clients], logger);
    throw error;
  }
  logger.info({ httpPort: http.port, ...side.describe }, 'event-consumer running');

  return runningService({
    logger,
    health,
    metrics,
    port: http.port,
    shutdown: {
      entryPoints: [...side.entryPoints, { name: 'http server', run: () => http.close() }],
      drain: side.drain,
      clients: side.clients,
    },
  });
};

/** Production: JetStream consumers into MySQL (activity) and Redis (stats). */
async function startJetStreamSide(
  config: EventConsumerConfig,
  urls: { mysqlUrl: string; redisUrl: string; natsUrl: string },
  { logger, metrics, health, wrap }: SideContext,
): Promise<ReadModelSide> {
  const topology = topologyFor(config.EVENT_TOPOLOGY_PREFIX);

  await migrate(urls.mysqlUrl, migrationsDir, logger.child({ module: 'migrations' }), SERVICE_NAME);
  const pool = createMysqlPool(urls.mysqlUrl, mysqlPoolSettings(config));
  const redis = createRedis(urls.redisUrl, logger.child({ module: 'redis' }));
  const nc = await connectNats(urls.natsUrl, SERVICE_NAME, logger.child({ module: 'nats' }));
  await ensureEventStream(await jetstreamManager(nc), { topology });
  health
    .addCheck({ name: 'mysql', critical: true, probe: () => pingMysql(pool) })
    .addCheck({ name: 'redis', critical: true, probe: () => pingRedis(redis) })
    .addCheck({ name: 'nats', critical: true, probe: () => pingNats(nc) });

  const subscriber = new JetStreamEventSubscriber({
    nc,
    logger,
    topology,
    metrics,
    ackWaitMs: config.EVENT_ACK_WAIT_S * 1_000,
    maxDeliver: config.EVENT_MAX_DELIVER,
    retryBackoffMs: config.EVENT_RETRY_BACKOFF_MS,
    concurrency: config.EVENT_CONCURRENCY,
  });
  const activity = new MysqlActivityStore(pool);
  const stats = new RedisStatsStore(redis, {
    prefix: config.STATS_PREFIX,
    consumer: STATS_CONSUMER,
    appliedTtlS: config.STATS_APPLIED_TTL_S,
  });
  const handlers: Record<string, EventHandler> = {
    [ACTIVITY_FEED_CONSUMER]: activityFeedHandler(activity),
    [STATS_CONSUMER]: statsHandler(stats),
  };
  const progress = new ConsumerProgress({
    nc,
    consumers: Object.keys(handlers),
    topology,
    stallAfterS: config.EVENT_CONSUMER_STALL_S,
    metrics,
  });
  // Progress, not only a connection: a stream or consumer that vanished (a JetStream server that
  // lost its store) is critical until the subscriber has created it again; a lag that does not
  // shrink is degraded.
  health
    .addCheck({ name: 'event-consumers', critical: true, probe: progress.present })
    .addCheck({ name: 'event-progress', critical: false, probe: progress.moving });
  const subscriptions: Subscription[] = [];
  for (const [consumer, handler] of Object.entries(handlers)) {
    subscriptions.push(await subscriber.subscribe(consumer, wrap(consumer, handler)));
  }

  return {
    activity,
    stats,
    // A subscription stops pulling and finishes its in-flight events before it resolves.
    entryPoints: [{ name: 'consumers', run: () => Promise.all(subscriptions.map((s) => s.stop())) }],
    drain: [],
    clients: [
      { name: 'nats', run: () => nc.drain() },
      { name: 'mysql', run: () => endMysqlPool(pool) },
      { name: 'redis', run: () => closeRedis(redis) },
    ],
    describe: { mode: 'servers', stream: topology.stream, consumers: Object.keys(handlers) },
  };
}

/**
 * `pnpm dev` without servers: the same consumers, on an in-memory bus fed by following the event
 * log every producer appends to (FileEventOutbox), into in-memory read models. Nothing survives a
 * restart: the log is read from its beginning again.
 */
async function startMemorySide(eventLogFile: string | undefined, { logger, wrap }: SideContext): Promise<ReadModelSide> {
  const bus = new MemoryEventBus({ logger: logger.child({ module: 'event-bus' }) });
  const activity = new MemoryActivityStore();
  const stats = new MemoryStatsStore();
  const subscriptions = [
    await bus.subscribe(ACTIVITY_FEED_CONSUMER, wrap(ACTIVITY_FEED_CONSUMER, activityFeedHandler(activity))),
    await bus.subscribe(STATS_CONSUMER, wrap(STATS_CONSUMER, statsHandler(stats))),
  ];
  const entryPoints: ShutdownStep[] = [];
  if (eventLogFile) {
    const follower = new EventLogFollower(eventLogFile, (events) => bus.write(events), { logger: logger.child({ module: 'event-log' }) }).start();
    entryPoints.push({ name: 'event log', run: () => follower.stop() });
  } else {
    logger.warn('neither servers (MYSQL_URL, REDIS_URL, NATS_URL) nor EVENT_LOG_FILE are set: no events will arrive, the read models stay empty');
  }
  return {
    activity,
    stats,
    entryPoints,
    drain: [
      { name: 'consumers', run: () => Promise.all(subscriptions.map((s) => s.stop())) },
      { name: 'event bus', run: () => bus.stop() },
    ],
    clients: [],
    describe: { mode: 'memory', eventLogFile: eventLogFile ?? null },
  };
}
