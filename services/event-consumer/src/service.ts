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
  pingMysql,
  pingNats,
  pingRedis,
  runningService,
  serviceBasics,
  type RunningService,
  type StartOptions,
  type StartService,
} from '@testbed/service-kit';
import { ConsumerProgress, JetStreamEventSubscriber, ensureEventStream, topologyFor, type EventHandler, type Subscription } from '@testbed/service-kit/events';
import { MysqlActivityStore } from './adapters/mysql/activity.store.js';
import { RedisStatsStore } from './adapters/redis/stats.store.js';
import type { EventConsumerConfig } from './config.js';
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

/**
 * Migrates, connects, subscribes every consumer and listens on HTTP, the kit's lifecycle shape;
 * main.ts and the integration tests share it.
 */
export const startService: StartService<EventConsumerConfig, RunningEventConsumer, EventConsumerOptions> = async (config, options = {}) => {
  const { logger, metrics, health } = serviceBasics(SERVICE_NAME, config.LOG_LEVEL, options);
  const topology = topologyFor(config.EVENT_TOPOLOGY_PREFIX);

  await migrate(config.MYSQL_URL, migrationsDir, logger.child({ module: 'migrations' }), SERVICE_NAME);
  const pool = createMysqlPool(config.MYSQL_URL, mysqlPoolSettings(config));
  const redis = createRedis(config.REDIS_URL, logger.child({ module: 'redis' }));
  const nc = await connectNats(config.NATS_URL, SERVICE_NAME, logger.child({ module: 'nats' }));
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
  const wrap = options.wrapHandler ?? ((_consumer: string, handler: EventHandler) => handler);
  const handlers: Record<string, EventHandler> = {
    [ACTIVITY_FEED_CONSUMER]: activityFeedHandler(new MysqlActivityStore(pool)),
    [STATS_CONSUMER]: statsHandler(
      new RedisStatsStore(redis, {
        prefix: config.STATS_PREFIX,
        consumer: STATS_CONSUMER,
        appliedTtlS: config.STATS_APPLIED_TTL_S,
      }),
    ),
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

  const http = await listenHttp(createApp({ logger, metrics, health }), config.PORT, config.HOST);
  logger.info({ httpPort: http.port, stream: topology.stream, consumers: Object.keys(handlers) }, 'event-consumer running');

  return runningService({
    logger,
    health,
    metrics,
    port: http.port,
    shutdown: {
      // A subscription stops pulling and finishes its in-flight events before it resolves.
      entryPoints: [
        { name: 'consumers', run: () => Promise.all(subscriptions.map((s) => s.stop())) },
        { name: 'http server', run: () => http.close() },
      ],
      clients: [
        { name: 'nats', run: () => nc.drain() },
        { name: 'mysql', run: () => endMysqlPool(pool) },
        { name: 'redis', run: () => closeRedis(redis) },
      ],
    },
  });
};
