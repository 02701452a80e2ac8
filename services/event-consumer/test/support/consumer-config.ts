import { loadConfig } from '@testbed/service-kit';
import { freePort } from '@testbed/service-kit/testing';
import { configSchema, type EventConsumerConfig } from '../../src/config.js';
import { NATS_URL, REDIS_URL, type StreamFixture } from './stream-fixture.js';

/**
 * event-consumer's config for a test file: a free port, the fixture's database, stream and stats
 * keys on the shared servers, plus `overrides` (e.g. a shorter retry backoff).
 */
export async function consumerConfigFor(fx: StreamFixture, overrides: Record<string, string> = {}): Promise<EventConsumerConfig> {
  return loadConfig(configSchema, {
    PORT: String(await freePort()),
    MYSQL_URL: fx.database.url,
    REDIS_URL,
    NATS_URL,
    EVENT_TOPOLOGY_PREFIX: fx.prefix,
    STATS_PREFIX: fx.statsPrefix,
    ...overrides,
  });
}
