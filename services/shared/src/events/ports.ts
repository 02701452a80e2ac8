import type { Connection, PoolConnection } from 'mysql2/promise';
import type { CloudEvent } from './cloud-event.js';

/**
 * Where a producer hands its events. The MySQL outbox stores them in the caller's transaction and a
 * relay publishes them to JetStream; the in-memory bus delivers them to in-process subscribers.
 */
export interface EventOutbox {
  /**
   * Records events for delivery. With MySQL, pass the connection of the open transaction that
   * writes the domain row (`tx`), so both commit or neither does; without `tx` the events are
   * stored on their own. The in-memory bus ignores `tx`.
   */
  write(events: readonly CloudEvent[], tx?: Connection | PoolConnection): Promise<void>;
  /** Call after the commit: the relay publishes now instead of at its next poll. */
  nudge(): void;
}

export interface DeliveryContext {
  /** 1 on the first delivery; JetStream counts redeliveries after a nak or an ack timeout. */
  readonly deliveryCount: number;
}

/** Must be idempotent: an event can arrive more than once (after a crash, a timeout or a replay). */
export type EventHandler = (event: CloudEvent, context: DeliveryContext) => Promise<void>;

export interface Subscription {
  /** Stops taking new events and resolves once the in-flight ones are settled. */
  stop(): Promise<void>;
}

export interface EventSubscriber {
  /**
   * Starts delivering every event to `handler`. `consumer` is the durable name: replicas that use
   * the same name share the events, each handled by one of them.
   */
  subscribe(consumer: string, handler: EventHandler): Promise<Subscription>;
}
