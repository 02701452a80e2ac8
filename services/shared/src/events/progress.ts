import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Pool } from 'mysql2/promise';
import type { Metrics } from '../metrics.js';
import { gaugeOnScrape } from './event-metrics.js';
import { readOutboxBacklog } from './mysql-outbox.js';
import { defaultTopology, type EventTopology } from './topology.js';

/** Default for how old the oldest unsent outbox row may get before readiness reports a stall, in seconds. */
export const DEFAULT_OUTBOX_STALL_S = 30;

/** Default for how long a consumer may have events waiting without moving before readiness reports a stall, in seconds. */
export const DEFAULT_CONSUMER_STALL_S = 60;

/**
 * Exports the outbox backlog as `outbox_pending_events` and `outbox_oldest_pending_age_seconds`
 * (read from MySQL at each scrape) and returns a readiness probe that rejects while the oldest
 * unsent event is older than `stallAfterS`: delivery is stuck (NATS down, the stream missing),
 * even if every connection looks fine. Register the probe as non-critical: writes still work.
 */
export function outboxProgress(pool: Pool, options: { metrics?: Metrics; stallAfterS?: number } = {}): () => Promise<void> {
  const stallAfterS = options.stallAfterS ?? DEFAULT_OUTBOX_STALL_S;
  if (options.metrics) {
    gaugeOnScrape(options.metrics, 'outbox_pending_events', 'Outbox rows not yet published', [], async (gauge) => {
      gauge.set((await readOutboxBacklog(pool)).pending);
    });
    gaugeOnScrape(
      options.metrics,
      'outbox_oldest_pending_age_seconds',
      'Age of the oldest outbox row not yet published (0 when none waits)',
      [],
      async (gauge) => gauge.set((await readOutboxBacklog(pool)).oldestAgeSeconds),
    );
  }
  return async () => {
    const { pending, oldestAgeSeconds } = await readOutboxBacklog(pool);
    if (oldestAgeSeconds > stallAfterS) {
      throw new Error(`${pending} event(s) unsent, the oldest for ${Math.round(oldestAgeSeconds)} s (limit ${stallAfterS} s)`);
    }
  };
}

interface Seen {
  readonly position: string;
  readonly since: number;
}

/**
 * Watches durable consumers of the event stream: exports `event_consumer_pending{consumer}` (not
 * yet delivered, JetStream's `num_pending`) and `event_consumer_ack_pending{consumer}` (delivered,
 * not yet acknowledged), and gives two readiness probes.
 */
export class ConsumerProgress {
  private readonly topology: EventTopology;
  private readonly stallAfterMs: number;
  private readonly seen = new Map<string, Seen>();

  constructor(
    private readonly options: {
      nc: NatsConnection;
      consumers: readonly string[];
      topology?: EventTopology;
      stallAfterS?: number;
      metrics?: Metrics;
      now?: () => number;
    },
  ) {
    this.topology = options.topology ?? defaultTopology;
    this.stallAfterMs = (options.stallAfterS ?? DEFAULT_CONSUMER_STALL_S) * 1_000;
    if (options.metrics) {
      gaugeOnScrape(options.metrics, 'event_consumer_pending', 'Events in the stream not yet delivered to the consumer', ['consumer'], async (gauge) => {
        for (const [consumer, info] of await this.infos()) gauge.set({ consumer }, info.num_pending);
      });
      gaugeOnScrape(options.metrics, 'event_consumer_ack_pending', 'Events delivered to the consumer and not yet acknowledged', ['consumer'], async (gauge) => {
        for (const [consumer, info] of await this.infos()) gauge.set({ consumer }, info.num_ack_pending);
      });
    }
  }

  /**
   * Critical probe: rejects when the stream or a consumer does not exist (a JetStream server that
   * lost its store) until the subscriber has created them again.
   */
  readonly present = async (): Promise<void> => {
    await this.infos();
  };

  /**
   * Degraded probe: rejects when a consumer has had events waiting and neither delivered nor
   * acknowledged any for `stallAfterS`: the lag is not shrinking.
   */
  readonly moving = async (): Promise<void> => {
    const now = (this.options.now ?? Date.now)();
    const stalled: string[] = [];
    for (const [consumer, info] of await this.infos()) {
      const waiting = info.num_pending + info.num_ack_pending;
      const position = `${info.delivered.stream_seq}/${info.ack_floor.stream_seq}`;
      const last = this.seen.get(consumer);
      if (waiting === 0 || !last || last.position !== position) {
        this.seen.set(consumer, { position, since: now });
        continue;
      }
      if (now - last.since > this.stallAfterMs) {
        stalled.push(`${consumer}: ${waiting} event(s) waiting, none handled for ${Math.round((now - last.since) / 1_000)} s`);
      }
    }
    if (stalled.length > 0) throw new Error(stalled.join('; '));
  };

  private async infos() {
    const jsm = await jetstreamManager(this.options.nc);
    return Promise.all(this.options.consumers.map(async (consumer) => [consumer, await jsm.consumers.info(this.topology.stream, consumer)] as const));
  }
}
