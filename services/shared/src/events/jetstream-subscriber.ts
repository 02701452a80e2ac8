import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  type ConsumerMessages,
  type JsMsg,
} from '@nats-io/jetstream';
import { headers, nanos, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import { InvalidEventError, parseCloudEvent } from './cloud-event.js';
import { deadLetterHeaders, deadLetterMsgId } from './dead-letter-headers.js';
import { eventMetrics, type EventMetrics } from './event-metrics.js';
import type { EventHandler, EventSubscriber, Subscription } from './ports.js';
import { defaultTopology, dlqSubjectFor, type EventTopology } from './topology.js';

export interface JetStreamSubscriberOptions {
  readonly nc: NatsConnection;
  readonly logger: Logger;
  readonly topology?: EventTopology;
  /** Deliveries before an event is dead-lettered (the consumer's `max_deliver`). */
  readonly maxDeliver?: number;
  /** Time a handler has before JetStream redelivers the event elsewhere (`ack_wait`). */
  readonly ackWaitMs?: number;
  /** Delay before redelivery after the n-th failure; the last entry repeats. */
  readonly retryBackoffMs?: readonly number[];
  /** Events handled at the same time per subscription. */
  readonly concurrency?: number;
  readonly metrics?: Metrics;
}

export const DEFAULT_RETRY_BACKOFF_MS = [1_000, 5_000, 15_000, 30_000] as const;

/**
 * Durable pull consumers on the event stream, with explicit acks. A handler that throws gets the
 * event again after a backoff (nak with delay); when the last allowed delivery fails, the event is
 * published to `<dlq prefix>.<consumer>` with the error and terminated: no more retries, it waits
 * there for an operator (see the event-consumer `dlq` CLI) while the other events flow.
 */
export class JetStreamEventSubscriber implements EventSubscriber {
  private readonly topology: EventTopology;
  private readonly maxDeliver: number;
  private readonly ackWaitMs: number;
  private readonly retryBackoffMs: readonly number[];
  private readonly concurrency: number;
  private readonly metrics: EventMetrics | undefined;

  constructor(private readonly options: JetStreamSubscriberOptions) {
    this.topology = options.topology ?? defaultTopology;
    this.maxDeliver = options.maxDeliver ?? 5;
    this.ackWaitMs = options.ackWaitMs ?? 30_000;
    this.retryBackoffMs = options.retryBackoffMs ?? DEFAULT_RETRY_BACKOFF_MS;
    this.concurrency = options.concurrency ?? 16;
    this.metrics = options.metrics && eventMetrics(options.metrics);
  }

  async subscribe(consumer: string, handler: EventHandler): Promise<Subscription> {
    await this.ensureConsumer(consumer);
    const js = jetstream(this.options.nc);
    const messages = await (await js.consumers.get(this.topology.stream, consumer)).consume({
      // A small buffer: events pulled but not started wait out ack_wait if this process dies.
      max_messages: this.concurrency,
    });
    const logger = this.options.logger.child({ consumer });
    return new ConsumerRun(messages, this.concurrency, logger, (msg) => this.settle(consumer, handler, msg, logger)).start();
  }

  private async ensureConsumer(consumer: string): Promise<void> {
    const jsm = await jetstreamManager(this.options.nc);
    const settings = {
      ack_wait: nanos(this.ackWaitMs),
      max_deliver: this.maxDeliver,
      max_ack_pending: 1_000,
    };
    try {
      await jsm.consumers.info(this.topology.stream, consumer);
      await jsm.consumers.update(this.topology.stream, consumer, settings);
    } catch (error) {
      if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound)) throw error;
      await jsm.consumers.add(this.topology.stream, {
        ...settings,
        durable_name: consumer,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: `${this.topology.subjectPrefix}.>`,
      });
    }
  }

  private async settle(consumer: string, handler: EventHandler, msg: JsMsg, logger: Logger): Promise<void> {
    const deliveryCount = msg.info.deliveryCount;
    const stopTimer = this.metrics?.handleDuration.startTimer({ consumer });
    try {
      const event = parseCloudEvent(msg.data);
      await handler(event, { deliveryCount });
      msg.ack();
      this.metrics?.handled.inc({ consumer, outcome: 'ack' });
    } catch (error) {
      // Retrying an event that does not parse cannot help; dead-letter it at once.
      if (error instanceof InvalidEventError || deliveryCount >= this.maxDeliver) {
        await this.deadLetter(consumer, msg, error, logger);
      } else {
        const delay = this.retryBackoffMs[Math.min(deliveryCount, this.retryBackoffMs.length) - 1] ?? 0;
        logger.warn({ err: error, seq: msg.seq, deliveryCount, retryInMs: delay }, 'event handler failed');
        msg.nak(delay);
        this.metrics?.handled.inc({ consumer, outcome: 'retry' });
      }
    } finally {
      stopTimer?.();
    }
  }

  private async deadLetter(consumer: string, msg: JsMsg, error: unknown, logger: Logger): Promise<void> {
    const reason = errorMessage(error);
    const h = headers();
    for (const [key, value] of Object.entries(
      deadLetterHeaders({
        error: reason,
        consumer,
        subject: msg.subject,
        deliveries: msg.info.deliveryCount,
        streamSequence: msg.seq,
        traceparent: msg.headers?.get('traceparent') || undefined,
      }),
    )) {
      h.set(key, value);
    }
    const js = jetstream(this.options.nc);
    for (let attempt = 1; ; attempt += 1) {
      try {
        await js.publish(dlqSubjectFor(consumer, this.topology), msg.data, {
          msgID: deadLetterMsgId(consumer, msg.seq),
          headers: h,
        });
        break;
      } catch (publishError) {
        if (attempt === 3) {
          // Left unacknowledged: JetStream will not redeliver past max_deliver, and reports the
          // event in its MAX_DELIVERIES advisory. Better stuck and visible than silently dropped.
          logger.error({ err: publishError, seq: msg.seq }, 'could not dead-letter event');
          return;
        }
        msg.working();
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      }
    }
    // No reason argument: servers before 2.10.4 ignore a `+TERM <reason>` ack. The DLQ has the error.
    msg.term();
    this.metrics?.handled.inc({ consumer, outcome: 'dead_letter' });
    logger.error({ err: reason, seq: msg.seq, deliveries: msg.info.deliveryCount }, 'event dead-lettered');
  }
}

class ConsumerRun implements Subscription {
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly messages: ConsumerMessages,
    private readonly concurrency: number,
    private readonly logger: Logger,
    private readonly settle: (msg: JsMsg) => Promise<void>,
  ) {}

  start(): this {
    // The client re-pulls across reconnects by itself; reaching this means the pull ended for good.
    this.loop = this.pull().catch((error: unknown) =>
      this.logger.error({ err: error }, 'consumer stopped pulling events'),
    );
    return this;
  }

  private async pull(): Promise<void> {
    const limit = Math.max(1, this.concurrency);
    for await (const msg of this.messages) {
      if (this.stopping) {
        // Give it straight back so another replica takes it now rather than after ack_wait.
        msg.nak();
        continue;
      }
      while (this.inFlight.size >= limit) await Promise.race(this.inFlight);
      const settling = this.settle(msg)
        .catch((error: unknown) => this.logger.error({ err: error }, 'settling an event failed'))
        .finally(() => this.inFlight.delete(settling));
      this.inFlight.add(settling);
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.messages.stop();
    await this.loop;
    await Promise.all(this.inFlight);
  }
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));
