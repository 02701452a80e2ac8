import { setTimeout as sleep } from 'node:timers/promises';
import { jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import { contextFromCarrier } from '../telemetry/context.js';
import { inMessagingSpan } from '../telemetry/messaging.js';
import { parseCloudEvent } from './cloud-event.js';
import { deadLetterHeaders, deadLetterMsgId } from './dead-letter-headers.js';
import { eventMetrics, type EventMetrics } from './event-metrics.js';
import { classifyHandlerError, type HandlerFailureKind } from './handler-errors.js';
import type { EventHandler, EventSubscriber, Subscription } from './ports.js';
import { defaultTopology, dlqSubjectFor, ensureDurableConsumer, ensureEventStream, isMissingJetStreamResource, type EventTopology } from './topology.js';

// A pull waits this long for events before asking again; it also bounds how long the client takes
// to notice a consumer or stream that vanished (its missing-resource checks back off by it).
const PULL_EXPIRES_MS = 5_000;

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
    const messages = await (
      await js.consumers.get(this.topology.stream, consumer)
    ).consume({
      // A small buffer: events pulled but not started wait out ack_wait if this process dies.
      max_messages: this.concurrency,
      expires: PULL_EXPIRES_MS,
    });
    const logger = this.options.logger.child({ consumer });
    this.repairWhenMissing(consumer, messages, logger);
    return new ConsumerRun(messages, this.concurrency, logger, (msg) => this.settle(consumer, handler, msg, logger)).start();
  }

  /**
   * Creates the streams and this durable consumer again when the client reports them gone (a
   * JetStream server restarted without its store). The client keeps checking for the consumer and
   * resumes pulling by itself once it exists; without this it would wait forever.
   */
  private repairWhenMissing(consumer: string, messages: ConsumerMessages, logger: Logger): void {
    void (async () => {
      for await (const status of messages.status()) {
        if (status.type !== 'stream_not_found' && status.type !== 'consumer_not_found' && status.type !== 'consumer_deleted') {
          continue;
        }
        try {
          await this.provision(consumer);
          logger.warn({ status: status.type, stream: this.topology.stream }, 'event stream or consumer was missing; created it again');
        } catch (error) {
          logger.warn({ err: error, status: status.type }, 'could not create the missing event stream or consumer yet');
        }
      }
    })();
  }

  private async provision(consumer: string): Promise<void> {
    const jsm = await jetstreamManager(this.options.nc);
    await ensureEventStream(jsm, { topology: this.topology });
    await ensureDurableConsumer(jsm, consumer, { ackWaitMs: this.ackWaitMs, maxDeliver: this.maxDeliver }, this.topology);
  }

  private async ensureConsumer(consumer: string): Promise<void> {
    const jsm = await jetstreamManager(this.options.nc);
    await ensureDurableConsumer(jsm, consumer, { ackWaitMs: this.ackWaitMs, maxDeliver: this.maxDeliver }, this.topology);
  }

  private async settle(consumer: string, handler: EventHandler, msg: JsMsg, logger: Logger): Promise<void> {
    const deliveryCount = msg.info.deliveryCount;
    const stopTimer = this.metrics?.handleDuration.startTimer({ consumer });
    try {
      await this.handleInTrace(consumer, handler, msg);
      msg.ack();
      this.metrics?.handled.inc({ consumer, outcome: 'ack' });
    } catch (error) {
      // Retrying cannot fix a permanent failure (an event that does not parse, a data error): it
      // goes to the DLQ now. A transient one is retried after a backoff until max_deliver.
      const kind = classifyHandlerError(error);
      if (kind === 'permanent' || deliveryCount >= this.maxDeliver) {
        await this.deadLetter(consumer, msg, error, kind, logger);
      } else {
        const delay = this.retryBackoffMs[Math.min(deliveryCount, this.retryBackoffMs.length) - 1] ?? 0;
        logger.warn({ err: error, seq: msg.seq, deliveryCount, retryInMs: delay }, 'event handler failed; retrying');
        msg.nak(delay);
        this.metrics?.handled.inc({ consumer, outcome: 'retry' });
      }
    } finally {
      stopTimer?.();
    }
  }

  /**
   * Runs the handler in a CONSUMER span whose parent is the context in the message headers (the
   * relay's publish span), so the handler's database writes join the trace of the original request.
   */
  private handleInTrace(consumer: string, handler: EventHandler, msg: JsMsg): Promise<void> {
    const traceparent = msg.headers?.get('traceparent');
    const tracestate = msg.headers?.get('tracestate');
    const parent = contextFromCarrier({
      ...(traceparent ? { traceparent } : {}),
      ...(tracestate ? { tracestate } : {}),
    });
    const attributes = { 'messaging.consumer.group.name': consumer, 'messaging.nats.delivery_count': msg.info.deliveryCount };
    return inMessagingSpan({ operation: 'process', subject: msg.subject, parent, attributes }, async (span) => {
      const event = parseCloudEvent(msg.data);
      span.setAttribute('messaging.message.id', event.id);
      await handler(event, { deliveryCount: msg.info.deliveryCount });
    });
  }

  private async deadLetter(consumer: string, msg: JsMsg, error: unknown, kind: HandlerFailureKind, logger: Logger): Promise<void> {
    const reason = errorMessage(error);
    const h = headers();
    for (const [key, value] of Object.entries(
      deadLetterHeaders({
        error: reason,
        kind: kind === 'permanent' ? 'permanent' : 'retries-exhausted',
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
        // The DLQ stream went missing with the server's store: create it again, then retry.
        if (isMissingJetStreamResource(publishError)) await this.provision(consumer).catch(() => undefined);
        if (attempt === 3) {
          // Left unacknowledged: JetStream will not redeliver past max_deliver, and reports the
          // event in its MAX_DELIVERIES advisory. Better stuck and visible than silently dropped.
          logger.error({ err: publishError, seq: msg.seq }, 'could not dead-letter event');
          return;
        }
        msg.working();
        await sleep(500 * attempt);
      }
    }
    // No reason argument: servers before 2.10.4 ignore a `+TERM <reason>` ack. The DLQ has the error.
    msg.term();
    this.metrics?.handled.inc({ consumer, outcome: 'dead_letter' });
    logger.error({ err: error, kind, seq: msg.seq, deliveries: msg.info.deliveryCount }, 'event dead-lettered');
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
    this.loop = this.pull().catch((error: unknown) => this.logger.error({ err: error }, 'consumer stopped pulling events'));
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
