import { Gauge, type Counter, type Histogram } from 'prom-client';
import type { Metrics } from '../metrics.js';

export interface EventMetrics {
  readonly outboxPublished: Counter<'outcome'>;
  readonly handled: Counter<'consumer' | 'outcome'>;
  readonly handleDuration: Histogram<'consumer'>;
}

// A service registers each metric name once, however many relays or consumers it runs.
const cache = new WeakMap<Metrics, EventMetrics>();

export function eventMetrics(metrics: Metrics): EventMetrics {
  let found = cache.get(metrics);
  if (!found) {
    found = {
      outboxPublished: metrics.counter('outbox_events_published_total', 'Outbox rows the relay tried to publish, by outcome (published, duplicate, failed)', [
        'outcome',
      ]),
      handled: metrics.counter('events_handled_total', 'Events a consumer settled, by outcome (ack, retry, dead_letter)', ['consumer', 'outcome']),
      handleDuration: metrics.histogram('event_handler_duration_seconds', 'Time a consumer spent on one event', ['consumer']),
    };
    cache.set(metrics, found);
  }
  return found;
}

/**
 * A gauge whose value is read when Prometheus scrapes; asking twice for one name in one registry
 * keeps the first (one reader per process).
 */
export function gaugeOnScrape<L extends string>(
  metrics: Metrics,
  name: string,
  help: string,
  labelNames: readonly L[],
  read: (gauge: Gauge<L>) => Promise<void>,
): void {
  if (metrics.registry.getSingleMetric(name)) return;
  new Gauge<L>({
    name,
    help,
    labelNames,
    registers: [metrics.registry],
    async collect() {
      // A failed read leaves the last values: the readiness check reports the failure itself.
      await read(this).catch(() => undefined);
    },
  });
}
