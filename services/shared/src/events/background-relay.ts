import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { Pool } from 'mysql2/promise';
import type { Logger } from 'pino';
import { connectNats, type NatsConnection } from '../clients/nats.js';
import type { Metrics } from '../metrics.js';
import { OutboxRelay } from './outbox-relay.js';
import { defaultTopology, ensureEventStream, type EventTopology } from './topology.js';

const RETRY_MS = 1_000;

export interface BackgroundOutboxRelayOptions {
  readonly natsUrl: string;
  /** The NATS connection name, usually the service name. */
  readonly name: string;
  readonly pool: Pool;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  readonly topology?: EventTopology;
  readonly pollIntervalMs?: number | undefined;
}

/**
 * Connects to NATS, makes sure the event stream exists, then runs the outbox relay, all in the
 * background and retrying until it works. The service takes writes meanwhile: an outage that began
 * before it started only delays delivery, like one that begins later. Every connect attempt fails
 * fast (`waitOnFirstConnect: false`) so stop() can end the loop.
 */
export class BackgroundOutboxRelay {
  private connectionValue: NatsConnection | undefined;
  private relay: OutboxRelay | undefined;
  private stopped = false;
  private cancelSleep: (() => void) | undefined;
  private readonly running: Promise<void>;

  constructor(private readonly options: BackgroundOutboxRelayOptions) {
    this.running = this.run();
  }

  /** The NATS connection once it exists, for a readiness probe. */
  get connection(): NatsConnection | undefined {
    return this.connectionValue;
  }

  /** Publishes now rather than at the relay's next poll; a no-op until the relay runs. */
  nudge(): void {
    this.relay?.nudge();
  }

  /** Rows still waiting to be published; undefined until the relay runs. */
  pendingCount(): Promise<number> | undefined {
    return this.relay?.pendingCount();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelSleep?.();
    await this.running;
    await this.relay?.stop();
    if (this.connectionValue && !this.connectionValue.isClosed()) await this.connectionValue.drain();
  }

  private async run(): Promise<void> {
    const { logger } = this.options;
    const topology = this.options.topology ?? defaultTopology;
    let reported = false;
    while (!this.stopped) {
      try {
        const nc = (this.connectionValue ??= await connectNats(this.options.natsUrl, this.options.name, logger, {
          waitOnFirstConnect: false,
        }));
        await ensureEventStream(await jetstreamManager(nc), { topology });
        if (this.stopped) return;
        this.relay = new OutboxRelay({
          pool: this.options.pool,
          js: jetstream(nc),
          logger,
          topology,
          ...(this.options.metrics === undefined ? {} : { metrics: this.options.metrics }),
          ...(this.options.pollIntervalMs === undefined ? {} : { pollIntervalMs: this.options.pollIntervalMs }),
        });
        this.relay.start();
        logger.info({ stream: topology.stream }, 'outbox relay started');
        return;
      } catch (error) {
        if (!reported) {
          logger.warn({ err: error }, 'NATS not reachable yet; events wait in the outbox and the relay keeps trying');
          reported = true;
        }
        await this.sleep(RETRY_MS);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.cancelSleep = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
