import { setTimeout as sleep } from 'node:timers/promises';
import { context, type Context } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { inMessagingSpan } from '../telemetry/messaging.js';
import { parseCloudEvent, type CloudEvent } from './cloud-event.js';
import { classifyHandlerError } from './handler-errors.js';
import type { EventHandler, EventOutbox, EventSubscriber, Subscription } from './ports.js';

export interface MemoryDeadLetter {
  readonly consumer: string;
  readonly event: CloudEvent;
  readonly error: string;
  /** `permanent` (on the first failure) or `retries-exhausted`, as in the JetStream DLQ. */
  readonly kind: 'permanent' | 'retries-exhausted';
}

export interface MemoryEventBusOptions {
  readonly logger?: Logger;
  readonly maxDeliver?: number;
  readonly retryBackoffMs?: readonly number[];
}

interface Delivery {
  readonly event: CloudEvent;
  /** The trace context of the write, as JetStream carries it in the message headers. */
  readonly written: Context;
  deliveryCount: number;
}

interface Logged {
  readonly event: CloudEvent;
  readonly written: Context;
}

/** The subscribers sharing one durable name, like JetStream replicas of one consumer. */
interface Group {
  readonly consumer: string;
  readonly handlers: EventHandler[];
  readonly waiting: Delivery[];
  turn: number;
}

/**
 * The embedded event bus for running without MySQL and NATS: writes are delivered asynchronously
 * to in-process subscribers with the same rules as JetStream (history replayed to a new consumer,
 * one handler per group per event, transient failures retried with backoff and dead-lettered after
 * `maxDeliver`, permanent ones (`classifyHandlerError`) dead-lettered at once). Nothing
 * survives a restart.
 */
export class MemoryEventBus implements EventOutbox, EventSubscriber {
  private readonly log: Logged[] = [];
  private readonly groups = new Map<string, Group>();
  private readonly maxDeliver: number;
  private readonly retryBackoffMs: readonly number[];
  private readonly deadLettered: MemoryDeadLetter[] = [];
  private busy = 0;
  private stopped = false;

  constructor(private readonly options: MemoryEventBusOptions = {}) {
    this.maxDeliver = options.maxDeliver ?? 5;
    this.retryBackoffMs = options.retryBackoffMs ?? [100, 500, 1_000, 2_000];
  }

  async write(events: readonly CloudEvent[]): Promise<void> {
    // The same round trip as the wire: subscribers get their own validated copy.
    const written = context.active();
    const copies = events.map((event) => ({ event: parseCloudEvent(JSON.stringify(event)), written }));
    this.log.push(...copies);
    for (const group of this.groups.values()) {
      group.waiting.push(...copies.map((logged) => ({ ...logged, deliveryCount: 0 })));
      this.schedule(group);
    }
  }

  nudge(): void {}

  async subscribe(consumer: string, handler: EventHandler): Promise<Subscription> {
    let group = this.groups.get(consumer);
    if (!group) {
      group = { consumer, handlers: [], waiting: this.log.map((logged) => ({ ...logged, deliveryCount: 0 })), turn: 0 };
      this.groups.set(consumer, group);
    }
    group.handlers.push(handler);
    this.schedule(group);
    const joined = group;
    return {
      stop: async () => {
        joined.handlers.splice(joined.handlers.indexOf(handler), 1);
        await this.idle();
      },
    };
  }

  get deadLetters(): readonly MemoryDeadLetter[] {
    return this.deadLettered;
  }

  /** Resolves once every delivery that can happen now, retries included, has happened. */
  async idle(): Promise<void> {
    while (this.busy > 0) await sleep(5);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }

  private schedule(group: Group): void {
    this.busy += 1;
    setImmediate(() => {
      this.busy -= 1;
      this.pump(group);
    });
  }

  private pump(group: Group): void {
    while (!this.stopped && group.handlers.length > 0 && group.waiting.length > 0) {
      const delivery = group.waiting.shift()!;
      const handler = group.handlers[group.turn++ % group.handlers.length]!;
      this.busy += 1;
      void this.deliver(group, handler, delivery).finally(() => (this.busy -= 1));
    }
  }

  private async deliver(group: Group, handler: EventHandler, delivery: Delivery): Promise<void> {
    delivery.deliveryCount += 1;
    try {
      const subject = delivery.event.type;
      const parent = delivery.written;
      const attributes = { 'messaging.consumer.group.name': group.consumer };
      await inMessagingSpan({ operation: 'process', system: 'memory', subject, messageId: delivery.event.id, parent, attributes }, () =>
        handler(delivery.event, { deliveryCount: delivery.deliveryCount }),
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const consumer = group.consumer;
      const permanent = classifyHandlerError(error) === 'permanent';
      if (permanent || delivery.deliveryCount >= this.maxDeliver) {
        const kind = permanent ? 'permanent' : 'retries-exhausted';
        this.deadLettered.push({ consumer, event: delivery.event, error: message, kind });
        this.options.logger?.error({ consumer, eventId: delivery.event.id, kind, err: error }, 'event dead-lettered');
        return;
      }
      const index = Math.min(delivery.deliveryCount, this.retryBackoffMs.length) - 1;
      this.busy += 1;
      setTimeout(() => {
        this.busy -= 1;
        group.waiting.push(delivery);
        this.pump(group);
      }, this.retryBackoffMs[index] ?? 0);
    }
  }
}
