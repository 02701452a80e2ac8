import { randomUUID } from 'node:crypto';
import type { Logger } from '@testbed/service-kit';
import type { EventPublisher } from '../../domain/ports.js';
import type { DomainEvent } from '../../domain/events.js';

/** Writes events to the log until the events issue routes them through an outbox to NATS. */
export class LogEventPublisher implements EventPublisher {
  constructor(private readonly logger: Logger) {}

  async publish(event: DomainEvent): Promise<void> {
    this.logger.info(
      { event: { id: randomUUID(), time: new Date().toISOString(), source: 'auth-service', ...event } },
      'domain event',
    );
  }
}
